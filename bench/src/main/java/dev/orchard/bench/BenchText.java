package dev.orchard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Benchmark texts from the shared reference data (-Dorchard.data=DIR, default ../shared/data). */
final class BenchText {

    private BenchText() {
    }

    static Path dataDir() {
        return Path.of(System.getProperty("orchard.data", "../shared/data"));
    }

    /** "wikitext" (WikiText-2 test, raw) or "tinystories" (validation stories joined by newlines). */
    static String load(String name) throws IOException {
        Path dir = dataDir();
        return switch (name) {
            case "wikitext" -> Files.readString(dir.resolve("wikitext-2-raw/wiki.test.raw"), StandardCharsets.UTF_8);
            case "tinystories" -> {
                ObjectMapper mapper = new ObjectMapper();
                StringBuilder sb = new StringBuilder();
                for (String line : Files.readAllLines(dir.resolve("tinystories/valid.jsonl"), StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        sb.append(mapper.readTree(line).get("text").asText()).append('\n');
                    }
                }
                yield sb.toString();
            }
            default -> throw new IllegalArgumentException("unknown text " + name);
        };
    }
}
