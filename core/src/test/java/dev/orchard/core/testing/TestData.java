package dev.orchard.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's {@code testdata/} and the shared data beside the checkout. */
public final class TestData {

    private TestData() {
    }

    public static Path repo() {
        String repo = System.getProperty("orchard.repo");
        if (repo != null) {
            return Path.of(repo);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("testdata"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no testdata/ above the working directory)");
        }
        return dir;
    }

    public static Path path(String relative) {
        return repo().resolve("testdata").resolve(relative);
    }
}
