package dev.orchard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.format.SafeTensors;
import dev.orchard.core.format.SafeTensorsWriter;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.KernelPath;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiny random Hugging Face checkpoints (testdata/golden, written by tools/reference/make_golden.py) against logits
 * from an independent PyTorch forward: every encoding, prefill and token-by-token decode, with and without LoRA.
 */
class SafetensorsGoldenTest {

    static final List<String> CASES = List.of("gqa-tied", "gqa-qknorm", "untied-3q");

    static JsonNode expected(String c) throws IOException {
        return new ObjectMapper().readTree(Files.readString(TestData.path("golden/" + c + "/expected.json")));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /**
     * On the float kernel path every encoding is computed exactly from its dequantized weights, in float32 against
     * the reference's float64: a tight tolerance.
     */
    static double tolerance(Encoding e) {
        return 2e-4;
    }

    /**
     * The integer path (Q8_0, Q4_0 decode) also rounds each activation block to 8 bits, as llama.cpp does: the error
     * it adds is bounded relative to the logits' spread (std about 2 here).
     */
    static final double INT8_ACTIVATION_TOLERANCE = 0.35;

    static double maxError(float[] got, JsonNode perPosition) {
        int vocab = perPosition.get(0).size();
        double max = 0;
        for (int p = 0; p < perPosition.size(); p++) {
            for (int j = 0; j < vocab; j++) {
                max = Math.max(max, Math.abs(got[p * vocab + j] - perPosition.get(p).get(j).asDouble()));
            }
        }
        return max;
    }

    static Stream<Arguments> casesAndEncodings() {
        List<Arguments> args = new ArrayList<>();
        for (String c : CASES) {
            for (Encoding e : Encoding.values()) {
                if (e.encodable()) { // the K-quants are read from llama.cpp's files (KQuantGgufTest), not encoded
                    args.add(Arguments.of(c, e));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndEncodings")
    void logitsMatchReference(String c, Encoding encoding) throws IOException {
        JsonNode exp = expected(c);
        int[] tokens = ints(exp.path("token_ids"));
        LanguageModel.Options options = new LanguageModel.Options(encoding == Encoding.F32 ? null : encoding,
                KernelPath.VECTOR_FLOAT);
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/" + c), options)) {
            float[] prefill = lm.logits(tokens);
            assertThat(maxError(prefill, exp.path("logits").path(encoding.name())))
                    .as("%s %s prefill max |logit error|", c, encoding).isLessThan(tolerance(encoding));

            Session s = lm.newSession(tokens.length);
            int vocab = lm.config().vocabSize();
            float[] decoded = new float[tokens.length * vocab];
            for (int i = 0; i < tokens.length; i++) {
                System.arraycopy(s.decode(tokens[i]), 0, decoded, i * vocab, vocab);
            }
            assertThat(maxError(decoded, exp.path("logits").path(encoding.name())))
                    .as("%s %s decode max |logit error|", c, encoding).isLessThan(tolerance(encoding));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndEncodings")
    void fastestKernelsStayCloseToReference(String c, Encoding encoding) throws IOException {
        JsonNode exp = expected(c);
        int[] tokens = ints(exp.path("token_ids"));
        boolean int8 = KernelPath.fastest(encoding).int8();
        double tol = int8 ? INT8_ACTIVATION_TOLERANCE : tolerance(encoding);
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/" + c), new LanguageModel.Options(encoding))) {
            assertThat(maxError(lm.logits(tokens), exp.path("logits").path(encoding.name()))).isLessThan(tol);
            Session s = lm.newSession(tokens.length);
            int vocab = lm.config().vocabSize();
            float[] decoded = new float[tokens.length * vocab];
            for (int i = 0; i < tokens.length; i++) {
                System.arraycopy(s.decode(tokens[i]), 0, decoded, i * vocab, vocab);
            }
            assertThat(maxError(decoded, exp.path("logits").path(encoding.name()))).isLessThan(tol);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-tied", "gqa-qknorm"})
    void adapterLogitsMatchReference(String c) throws IOException {
        JsonNode exp = expected(c);
        int[] tokens = ints(exp.path("token_ids"));
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/" + c))) {
            LoraAdapter adapter = lm.loadAdapter(TestData.path("golden/" + c + "/adapter"));
            Session s = lm.newSession(tokens.length, adapter);
            assertThat(maxError(s.prefillAll(tokens), exp.path("adapter_logits").path("F32"))).isLessThan(2e-4);

            // Decode token by token, switching the adapter off and on: the base stays shared and unchanged.
            Session plain = lm.newSession(tokens.length);
            assertThat(maxError(plain.prefillAll(tokens), exp.path("logits").path("F32"))).isLessThan(2e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-tied", "gqa-qknorm", "untied-3q"})
    void greedyMatchesReference(String c) throws IOException {
        JsonNode exp = expected(c);
        int[] want = ints(exp.path("greedy_after_prompt").path("F32"));
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/" + c))) {
            assertThat(GgufGoldenTest.greedy(lm, ints(exp.path("token_ids")), want.length)).containsExactly(want);
        }
    }

    @Test
    void tiedEmbeddingStoredUnderLmHeadLoadsTheSame(@TempDir Path dir) throws IOException {
        Path src = TestData.path("golden/gqa-tied");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        try (SafeTensors st = SafeTensors.open(src.resolve("model.safetensors"))) {
            SafeTensorsWriter w = new SafeTensorsWriter(Map.of("format", "pt", "model.embed_tokens.weight", "lm_head.weight"));
            for (SafeTensors.Tensor t : st.tensors().values()) {
                String name = t.name().equals("model.embed_tokens.weight") ? "lm_head.weight" : t.name();
                w.add(name, t.dtype(), t.shape(), t.data());
            }
            w.write(dir.resolve("model.safetensors"));
        }
        JsonNode exp = expected("gqa-tied");
        try (LanguageModel lm = LanguageModel.load(dir)) {
            assertThat(lm.transformer().tied()).isTrue();
            assertThat(maxError(lm.logits(ints(exp.path("token_ids"))), exp.path("logits").path("F32"))).isLessThan(2e-4);
        }
    }

    @Test
    void shardedCheckpointLoadsTheSame(@TempDir Path dir) throws IOException {
        Path src = TestData.path("golden/untied-3q");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        try (SafeTensors st = SafeTensors.open(src.resolve("model.safetensors"))) {
            SafeTensorsWriter[] shards = {new SafeTensorsWriter(Map.of("format", "pt")), new SafeTensorsWriter(Map.of("format", "pt"))};
            int i = 0;
            for (SafeTensors.Tensor t : st.tensors().values()) {
                int shard = i++ % 2;
                shards[shard].add(t.name(), t.dtype(), t.shape(), t.data());
                index.append(i > 1 ? "," : "").append('"').append(t.name()).append("\": \"model-0000")
                        .append(shard + 1).append("-of-00002.safetensors\"");
            }
            shards[0].write(dir.resolve("model-00001-of-00002.safetensors"));
            shards[1].write(dir.resolve("model-00002-of-00002.safetensors"));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
        JsonNode exp = expected("untied-3q");
        try (LanguageModel lm = LanguageModel.load(dir)) {
            assertThat(lm.transformer().tied()).isFalse();
            assertThat(maxError(lm.logits(ints(exp.path("token_ids"))), exp.path("logits").path("F32"))).isLessThan(2e-4);
        }
    }
}
