package dev.orchard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.format.FormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the documents of a text corpus: JSON Lines (one object per line, the text under {@code text}) or plain text
 * (documents separated by blank lines).
 */
public final class Corpus {

    private Corpus() {
    }

    /** Every document of {@code file}, in order; empty documents are skipped. */
    public static List<String> read(Path file) throws IOException {
        return read(file, "text");
    }

    public static List<String> read(Path file, String field) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FormatException("corpus " + file + " does not exist or is not a file");
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".parquet")) {
            throw new FormatException(file + ": Parquet corpora are read by the data module (orchard curate); "
                    + "export JSONL with a '" + field + "' field for pretraining");
        }
        List<String> docs = new ArrayList<>();
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                int lineNo = 0;
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(line);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new FormatException(file + " line " + lineNo + ": not valid JSON: " + e.getOriginalMessage());
                    }
                    JsonNode text = node.get(field);
                    if (text == null || !text.isTextual()) {
                        throw new FormatException(file + " line " + lineNo + ": no string field '" + field + "'");
                    }
                    if (!text.asText().isEmpty()) {
                        docs.add(text.asText());
                    }
                }
            }
        } else {
            String all = Files.readString(file, StandardCharsets.UTF_8);
            for (String doc : all.split("\\R\\s*\\R")) {
                String d = doc.strip();
                if (!d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        if (docs.isEmpty()) {
            throw new FormatException("corpus " + file + " holds no documents");
        }
        return docs;
    }
}
