package dev.orchard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's testdata and shared data, located through the {@code orchard.repo} property surefire sets. */
final class TestFiles {

    private TestFiles() {
    }

    static Path repo() {
        String repo = System.getProperty("orchard.repo");
        if (repo != null) {
            return Path.of(repo);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("testdata"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root");
        }
        return dir;
    }

    static Path testdata(String relative) {
        return repo().resolve("testdata").resolve(relative);
    }

    static Path shared(String relative) {
        return repo().resolve("../shared/data").resolve(relative).normalize();
    }

    static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(Files.readString(p));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
