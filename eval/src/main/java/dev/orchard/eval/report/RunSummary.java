package dev.orchard.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.eval.Proportion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine-readable result every eval command writes as {@code summary.json}: what ran ({@code kind},
 * {@code name}), its headline {@code metrics} as proportions with 95% intervals, and kind-specific
 * {@code details}. {@code orchard eval report} merges runs through the {@code metrics}.
 */
public record RunSummary(String kind, String name, Map<String, Proportion> metrics, JsonNode details) {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunSummary {
        metrics = new LinkedHashMap<>(metrics);
        details = details == null ? JSON.createObjectNode() : details;
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", kind);
        root.put("name", name);
        ObjectNode m = root.putObject("metrics");
        metrics.forEach((k, p) -> m.set(k, JSON.valueToTree(p)));
        root.set("details", details);
        return root;
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(toJson()) + "\n");
    }

    /** Reads a summary.json, or the summary.json inside a run directory. */
    public static RunSummary read(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("summary.json") : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no eval summary at " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode metrics = root.get("metrics");
        if (root.get("kind") == null || metrics == null || !metrics.isObject()) {
            throw new IllegalArgumentException(file + " is not an Orchard eval summary (needs kind and metrics)");
        }
        Map<String, Proportion> m = new LinkedHashMap<>();
        for (var it = metrics.fields(); it.hasNext(); ) {
            var e = it.next();
            m.put(e.getKey(), JSON.treeToValue(e.getValue(), Proportion.class));
        }
        String name = root.path("name").asText(file.getParent() == null ? file.toString()
                : file.getParent().getFileName().toString());
        return new RunSummary(root.get("kind").asText(), name, m, root.get("details"));
    }
}
