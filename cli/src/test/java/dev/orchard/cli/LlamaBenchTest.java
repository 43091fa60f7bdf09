package dev.orchard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LlamaBenchTest {

    /** Output of llama.cpp b4747: {@code llama-bench -m s135m-q4_0.gguf -p 8 -n 4 -r 2 -t 1 -o json}. */
    private static String fixture() throws IOException {
        try (InputStream in = LlamaBenchTest.class.getResourceAsStream("/llama-bench/pp8-tg4.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesThePrefillAndDecodeTestsAsTheMedianOfTheirSamples() throws IOException {
        LlamaBench.Result r = LlamaBench.parse(fixture(), 8, 4);
        assertThat(r.prefill()).isCloseTo((65.911 + 64.1772) / 2, within(1e-9));
        assertThat(r.decode()).isCloseTo((19.6012 + 42.4242) / 2, within(1e-9));
    }

    @Test
    void missingTestsAndGarbageAreClearErrors() throws IOException {
        assertThatThrownBy(() -> LlamaBench.parse(fixture(), 128, 128))
                .hasMessageContaining("no pp128 and tg128 results");
        assertThatThrownBy(() -> LlamaBench.parse("main: error: failed to load model", 8, 4))
                .hasMessageContaining("printed no JSON result");
    }

    @Test
    void theBinaryMustBeAnExecutableFile(@TempDir Path dir) throws IOException {
        Path plain = Files.writeString(dir.resolve("llama-bench"), "not a program");
        assertThatThrownBy(() -> new LlamaBench(dir.resolve("missing"))).hasMessageContaining("is not an executable");
        assertThatThrownBy(() -> new LlamaBench(plain)).hasMessageContaining("is not an executable");
    }

    @Test
    void runsTheSameTestsWithJsonOutputAndReportsAFailingBinary(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("llama-bench");
        Files.writeString(fake, "#!/bin/sh\necho \"main: error: failed to load model '$2'\" >&2\nexit 1\n");
        fake.toFile().setExecutable(true);
        LlamaBench bench = new LlamaBench(fake);
        assertThat(bench.command(Path.of("m.gguf"), 128, 64, 2, 1)).containsExactly(fake.toString(), "-m", "m.gguf",
                "-p", "128", "-n", "64", "-r", "1", "-t", "2", "-o", "json");
        assertThatThrownBy(() -> bench.run(Path.of("m.gguf"), 128, 64, 2, 1))
                .hasMessageContaining("failed (exit 1)").hasMessageContaining("failed to load model 'm.gguf'");
    }
}
