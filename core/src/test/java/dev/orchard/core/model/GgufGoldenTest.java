package dev.orchard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiny GGUF models written by llama.cpp's own tools, against logits from an independent PyTorch forward over the
 * dequantized weights (testdata/gguf/expected.json).
 */
class GgufGoldenTest {

    private static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(Files.readString(TestData.path("gguf/expected.json")));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Logit tolerance: float paths are near-exact; 8- and 4-bit paths quantize activations to 8 bits. */
    static double tolerance(String file) {
        return file.contains("q4_0") || file.contains("q8_0") ? 0.08 : 2e-3;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32.gguf", "tiny-f16.gguf", "tiny-q8_0.gguf", "tiny-q4_0.gguf"})
    void prefillAndDecodeMatchReferenceLogits(String file) throws IOException {
        JsonNode all = expected();
        JsonNode exp = all.path("files").path(file);
        int[] tokens = ints(all.path("token_ids"));
        try (LanguageModel lm = LanguageModel.load(TestData.path("gguf/" + file))) {
            int vocab = lm.config().vocabSize();
            assertThat(vocab).isEqualTo(512);
            double tol = tolerance(file);

            float[] logits = lm.logits(tokens);
            JsonNode first8 = exp.path("logits_first8_per_position");
            for (int pos = 0; pos < tokens.length; pos++) {
                for (int j = 0; j < 8; j++) {
                    assertThat((double) logits[pos * vocab + j]).as("%s prefill pos %d logit %d", file, pos, j)
                            .isCloseTo(first8.get(pos).get(j).asDouble(), org.assertj.core.data.Offset.offset(tol));
                }
            }
            JsonNode last = exp.path("last_logits");
            int lastOffset = (tokens.length - 1) * vocab;
            double maxErr = 0;
            for (int j = 0; j < vocab; j++) {
                maxErr = Math.max(maxErr, Math.abs(logits[lastOffset + j] - last.get(j).asDouble()));
            }
            assertThat(maxErr).as("%s max |error| over the last position's logits", file).isLessThan(tol);

            // Token-by-token decode through the KV cache gives the same last logits.
            Session s = lm.newSession(64);
            float[] step = null;
            for (int t : tokens) {
                step = s.decode(t);
            }
            for (int j = 0; j < vocab; j++) {
                assertThat((double) step[j]).isCloseTo(logits[lastOffset + j], org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32.gguf", "tiny-f16.gguf", "tiny-q8_0.gguf", "tiny-q4_0.gguf"})
    void greedyContinuationMatchesReference(String file) throws IOException {
        JsonNode all = expected();
        int[] tokens = ints(all.path("token_ids"));
        int[] want = ints(all.path("files").path(file).path("greedy_after_prompt"));
        try (LanguageModel lm = LanguageModel.load(TestData.path("gguf/" + file))) {
            assertThat(greedy(lm, tokens, want.length)).containsExactly(want);
        }
    }

    @org.junit.jupiter.api.Test
    void greedyMatchesLlamaCppOwnOutput() throws IOException {
        JsonNode cross = expected().path("llama_cpp_crosscheck");
        try (LanguageModel lm = LanguageModel.load(TestData.path("gguf/" + cross.path("file").asText()))) {
            int[] got = greedy(lm, ints(cross.path("prompt_ids")), cross.path("greedy_ids").size());
            assertThat(got).containsExactly(ints(cross.path("greedy_ids")));
        }
    }

    static int[] greedy(LanguageModel lm, int[] prompt, int count) {
        Session s = lm.newSession(prompt.length + count);
        float[] logits = s.prefill(prompt);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = argmax(logits);
            logits = s.decode(out[i]);
        }
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
