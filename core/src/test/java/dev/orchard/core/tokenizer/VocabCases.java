package dev.orchard.core.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** llama.cpp's tokenizer test cases: {@code X.gguf.inp} (strings) and {@code X.gguf.out} (their reference ids). */
record VocabCases(Path gguf, List<String> inputs, List<int[]> expected) {

    static Path testdata() {
        return Path.of(System.getProperty("orchard.repo", ".")).resolve("testdata/tokenizer");
    }

    /** Reads the cases as llama.cpp's test-tokenizer-0 does: inputs split on the separator, one output line each. */
    static VocabCases read(Path gguf) throws IOException {
        String raw = Files.readString(Path.of(gguf + ".inp"), StandardCharsets.UTF_8);
        String sep = "\n__ggml_vocab_test__\n";
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(sep, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + sep.length();
        }
        List<int[]> expected = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8)) {
            String t = line.strip();
            expected.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray());
        }
        if (inputs.size() != expected.size()) {
            throw new IllegalStateException(gguf + ": " + inputs.size() + " inputs but " + expected.size() + " outputs");
        }
        return new VocabCases(gguf, inputs, expected);
    }

    static List<Path> all() throws IOException {
        try (var files = Files.list(testdata())) {
            return files.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
    }
}
