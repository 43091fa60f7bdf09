package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Opens training corpora: JSON Lines ({@code .jsonl}, a text field per line), plain text, or a plugged-in format. */
public final class TextCorpora {

    /** Plain text is handed out in blocks of about this many chars, cut where a line starts with a non-space. */
    private static final int BLOCK = 1 << 20;

    private TextCorpora() {
    }

    /**
     * Opens {@code file}: {@code .jsonl}/{@code .json} as JSON Lines whose {@code field} holds the text; a format
     * registered through {@link TextCorpusFormat} if one supports the file; otherwise plain UTF-8 text.
     */
    public static TextCorpus open(Path file, String field) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            return jsonLines(file, field);
        }
        for (TextCorpusFormat format : ServiceLoader.load(TextCorpusFormat.class)) {
            if (format.supports(file)) {
                return format.open(file, field);
            }
        }
        if (name.endsWith(".parquet")) {
            throw new IllegalArgumentException(file + ": Parquet needs the data module on the class path");
        }
        return plainText(file);
    }

    /** Several corpora read one after another. */
    public static TextCorpus concat(List<TextCorpus> parts) {
        return new TextCorpus() {
            @Override
            public void forEach(Consumer<String> sink) throws IOException {
                for (TextCorpus c : parts) {
                    c.forEach(sink);
                }
            }

            @Override
            public long sizeBytes() {
                long total = 0;
                for (TextCorpus c : parts) {
                    if (c.sizeBytes() < 0) {
                        return -1;
                    }
                    total += c.sizeBytes();
                }
                return total;
            }
        };
    }

    static TextCorpus jsonLines(Path file, String field) throws IOException {
        long size = Files.size(file);
        return new TextCorpus() {
            @Override
            public void forEach(Consumer<String> sink) throws IOException {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    long lineNo = 0;
                    while ((line = in.readLine()) != null) {
                        lineNo++;
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode node;
                        try {
                            node = Json.MAPPER.readTree(line);
                        } catch (JsonProcessingException e) {
                            throw new IOException(file + " line " + lineNo + " is not JSON: " + e.getOriginalMessage(), e);
                        }
                        JsonNode text = node.get(field);
                        if (text == null || !text.isTextual()) {
                            throw new IOException(file + " line " + lineNo + " has no string field \"" + field + "\"");
                        }
                        sink.accept(text.asText());
                    }
                }
            }

            @Override
            public long sizeBytes() {
                return size;
            }
        };
    }

    static TextCorpus plainText(Path file) throws IOException {
        long size = Files.size(file);
        return new TextCorpus() {
            @Override
            public void forEach(Consumer<String> sink) throws IOException {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    StringBuilder block = new StringBuilder();
                    String line;
                    while ((line = in.readLine()) != null) {
                        // Cut only before a line that starts with a non-space, so runs of whitespace stay whole
                        // and the pieces are those of the whole file.
                        if (block.length() >= BLOCK && !line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                            sink.accept(block.toString());
                            block.setLength(0);
                        }
                        block.append(line).append('\n');
                    }
                    if (!block.isEmpty()) {
                        sink.accept(block.toString());
                    }
                }
            }

            @Override
            public long sizeBytes() {
                return size;
            }
        };
    }
}
