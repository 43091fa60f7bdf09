package dev.orchard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.format.JsonLines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Lines files the graders read and write: one object per line with {@code prompt} and {@code response},
 * optionally {@code id} and {@code source} (the document a summary is about; {@code document} is accepted too).
 * Prompt-only files (for generating responses) need just {@code prompt}.
 */
public final class EvalData {

    /** One line of such a file. */
    public record Example(String id, String prompt, String response, String source) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalData() {
    }

    /** Reads examples; {@code needResponse} makes a missing {@code response} an error naming the line. */
    public static List<Example> read(Path file, boolean needResponse) throws IOException {
        List<Example> out = new ArrayList<>();
        JsonLines.forEach(file, (lineNo, n) -> {
            if (n == null || !n.isObject() || !n.path("prompt").isTextual()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": needs a string field 'prompt'");
            }
            JsonNode resp = n.get("response");
            if (needResponse && (resp == null || !resp.isTextual())) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": needs a string field 'response'");
            }
            JsonNode src = n.has("source") ? n.get("source") : n.get("document");
            String id = n.hasNonNull("id") ? n.get("id").asText() : Integer.toString(lineNo);
            out.add(new Example(id, n.get("prompt").asText(), resp == null || resp.isNull() ? null : resp.asText(),
                    src == null || src.isNull() ? null : src.asText()));
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no examples");
        }
        return out;
    }

    /** Writes examples (with their responses) as JSON Lines. */
    public static void write(Path file, List<Example> examples) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Example e : examples) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", e.id());
            n.put("prompt", e.prompt());
            if (e.source() != null) {
                n.put("source", e.source());
            }
            n.put("response", e.response());
            b.append(JSON.writeValueAsString(n)).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }
}
