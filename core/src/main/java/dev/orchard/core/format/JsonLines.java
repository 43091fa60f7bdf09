package dev.orchard.core.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads JSON Lines files: one JSON value per line, blank lines skipped, errors naming {@code file:line}. */
public final class JsonLines {

    /** Receives each parsed line with its 1-based number. */
    @FunctionalInterface
    public interface LineHandler {
        void accept(int lineNo, JsonNode node) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    /**
     * Parses every non-blank line of {@code file} and hands it to {@code handler}.
     *
     * @throws IllegalArgumentException for a line that is not valid JSON ({@code file:line: not valid JSON: ...})
     */
    public static void forEach(Path file, LineHandler handler) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not valid JSON: "
                            + e.getOriginalMessage(), e);
                }
                handler.accept(lineNo, node);
            }
        }
    }
}
