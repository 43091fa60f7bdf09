package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchard.core.format.GgufFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of every llama.cpp vocabulary in testdata/tokenizer must encode to exactly the reference ids (the
 * harness's conventions: no BOS/EOS, special tokens not parsed), both from the GGUF metadata and after a round trip
 * through our tokenizer.json writer and reader.
 */
class GgufConformanceTest {

    static Stream<Path> vocabs() throws Exception {
        List<Path> all = VocabCases.all();
        assertThat(all).as("vocab files in testdata/tokenizer").hasSizeGreaterThanOrEqualTo(2);
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("vocabs")
    void everyCaseMatchesLlamaCpp(Path gguf) throws Exception {
        VocabCases cases = VocabCases.read(gguf);
        BpeTokenizer tokenizer;
        try (GgufFile file = GgufFile.open(gguf)) {
            tokenizer = Tokenizers.fromGgufMetadata(file.metadata());
        }
        assertAllMatch(tokenizer, cases);
    }

    @ParameterizedTest
    @MethodSource("vocabs")
    void exportedTokenizerJsonMatchesToo(Path gguf, @TempDir Path dir) throws Exception {
        VocabCases cases = VocabCases.read(gguf);
        BpeTokenizer fromGguf = Tokenizers.load(gguf);
        Path json = dir.resolve("tokenizer.json");
        fromGguf.save(json);
        BpeTokenizer reloaded = Tokenizers.load(json);
        assertThat(reloaded.vocabSize()).isEqualTo(fromGguf.vocabSize());
        assertAllMatch(reloaded, cases);
        assertThat(reloaded.toJson()).isEqualTo(fromGguf.toJson());
    }

    @ParameterizedTest
    @MethodSource("vocabs")
    void writtenBackAsGgufMetadataMatchesToo(Path gguf) throws Exception {
        VocabCases cases = VocabCases.read(gguf);
        BpeTokenizer fromGguf = Tokenizers.load(gguf);
        java.util.Map<String, Object> written = Tokenizers.ggufMetadata(fromGguf, fromGguf.vocabSize(), null);
        try (GgufFile file = GgufFile.open(gguf)) {
            java.util.Map<String, Object> original = file.metadata();
            assertThat(written.get("tokenizer.ggml.model")).isEqualTo(original.get("tokenizer.ggml.model"));
            assertThat(written.get("tokenizer.ggml.tokens")).isEqualTo(original.get("tokenizer.ggml.tokens"));
            if (original.containsKey("tokenizer.ggml.merges")) {
                assertThat(written.get("tokenizer.ggml.merges")).isEqualTo(original.get("tokenizer.ggml.merges"));
            }
        }
        // as GgufFile returns them: integers as longs, floats as doubles
        java.util.Map<String, Object> asRead = new java.util.LinkedHashMap<>();
        written.forEach((k, v) -> asRead.put(k, asRead(v)));
        BpeTokenizer reloaded = Tokenizers.fromGgufMetadata(asRead);
        assertAllMatch(reloaded, cases);
        assertThat(reloaded.toJson()).isEqualTo(fromGguf.toJson());
    }

    private static Object asRead(Object v) {
        return switch (v) {
            case Integer i -> i.longValue();
            case Float f -> f.doubleValue();
            case List<?> l -> l.stream().map(GgufConformanceTest::asRead).toList();
            default -> v;
        };
    }

    private static void assertAllMatch(BpeTokenizer tokenizer, VocabCases cases) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.inputs().size(); i++) {
            int[] got = tokenizer.encode(cases.inputs().get(i), false, false);
            if (!Arrays.equals(got, cases.expected().get(i))) {
                failures.add("case " + i + " " + repr(cases.inputs().get(i)) + "\n   expected " + Arrays.toString(cases.expected().get(i))
                        + "\n   got      " + Arrays.toString(got));
            }
        }
        assertThat(failures).as(cases.gguf().getFileName() + ": " + cases.inputs().size() + " cases").isEmpty();
        assertThat(cases.inputs()).hasSizeGreaterThan(30);
    }

    private static String repr(String s) {
        return "\"" + s.replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }
}
