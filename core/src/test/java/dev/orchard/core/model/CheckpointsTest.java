package dev.orchard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.GgufFile;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.testing.TestData;
import dev.orchard.core.tokenizer.ChatTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.orchard.core.model.GgufGoldenTest.greedy;
import static dev.orchard.core.model.SafetensorsGoldenTest.expected;
import static dev.orchard.core.model.SafetensorsGoldenTest.ints;
import static dev.orchard.core.model.SafetensorsGoldenTest.maxError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoints Orchard writes load back (in Orchard) to the reference logits, carry their tokenizer, chat template and
 * generation defaults, are labelled with the architecture other tools must use to compute the same model, and
 * survive round trips between the two formats.
 */
class CheckpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "Once upon a time, Lily saw a cat.";

    private static final int VOCAB = 320;

    /**
     * A tiny random model with a tokenizer of its vocabulary size (320: bytes, specials and chat markers, merges),
     * Llama without QK-norm, Qwen3 with it.
     */
    static LanguageModel tiny(boolean qkNorm, long seed) {
        ModelConfig t = ModelConfig.tiny();
        ModelConfig c = new ModelConfig(t.hiddenSize(), t.intermediateSize(), t.numAttentionHeads(),
                t.numKeyValueHeads(), t.numHiddenLayers(), t.headDim(), t.rmsNormEps(), t.ropeTheta(), null,
                VOCAB, t.tieWordEmbeddings(), t.maxPositionEmbeddings(), qkNorm, 1, List.of(2));
        return LanguageModel.of(RandomModels.create(c, Encoding.F32, seed));
    }

    private static LanguageModel tinyLlama() {
        return tiny(false, 5);
    }

    private static LanguageModel tinyQwen3() {
        return tiny(true, 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "BF16"})
    void huggingFaceDirectoryRoundTrip(String dtype, @TempDir Path dir) throws IOException {
        Encoding e = Encoding.valueOf(dtype);
        JsonNode exp = expected("untied-3q");
        Path out = dir.resolve("model");
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/untied-3q"))) {
            Checkpoints.saveHf(lm.transformer(), out, e, Checkpoints.Extras.weightsOnly(), false);
        }
        assertThat(out.resolve("generation_config.json")).exists();
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.config()).isEqualTo(ModelConfig.read(TestData.path("golden/untied-3q/config.json")));
            assertThat(maxError(back.logits(ints(exp.path("token_ids"))), exp.path("logits").path(dtype))).isLessThan(2e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-tied", "untied-3q"})
    void ggufRoundTripKeepsTheReferenceLogits(String c, @TempDir Path dir) throws IOException {
        JsonNode exp = expected(c);
        Path out = dir.resolve(c + ".gguf");
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/" + c))) {
            Checkpoints.saveGguf(lm.transformer(), out, Encoding.F32, Checkpoints.Extras.weightsOnly(), false);
        }
        boolean qkNorm = ModelConfig.read(TestData.path("golden/" + c + "/config.json")).qkNorm();
        try (GgufFile gguf = GgufFile.open(out)) {
            assertThat(gguf.metadata().get("general.architecture")).isEqualTo(qkNorm ? "qwen3" : "llama");
        }
        try (LanguageModel back = LanguageModel.load(out)) {
            // llama GGUF rotates adjacent pairs (q/k rows permuted); qwen3 GGUF halves, as Hugging Face does
            assertThat(back.transformer().adjacentPairRope()).isEqualTo(!qkNorm);
            assertThat(maxError(back.logits(ints(exp.path("token_ids"))), exp.path("logits").path("F32"))).isLessThan(2e-4);
        }
    }

    @Test
    void peftAdapterAppliesToTheGgufOfItsBase(@TempDir Path dir) throws IOException {
        JsonNode exp = expected("gqa-tied");
        Path out = dir.resolve("base.gguf");
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-tied"))) {
            Checkpoints.saveGguf(lm.transformer(), out, Encoding.F32, Checkpoints.Extras.weightsOnly(), false);
        }
        try (LanguageModel gguf = LanguageModel.load(out)) {
            var adapter = gguf.loadAdapter(TestData.path("golden/gqa-tied/adapter"));
            Session s = gguf.newSession(16, adapter);
            assertThat(maxError(s.prefillAll(ints(exp.path("token_ids"))), exp.path("adapter_logits").path("F32")))
                    .isLessThan(2e-4);
        }
    }

    @Test
    void quantizedGgufMatchesReferenceForThatEncoding(@TempDir Path dir) throws IOException {
        JsonNode exp = expected("gqa-tied");
        Path out = dir.resolve("q8.gguf");
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-tied"))) {
            Checkpoints.saveGguf(lm.transformer(), out, Encoding.Q8_0, Checkpoints.Extras.weightsOnly(), false);
        }
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.transformer().layer(0).projection(Projection.Q_PROJ).encoding()).isEqualTo(Encoding.Q8_0);
            assertThat(maxError(back.logits(ints(exp.path("token_ids"))), exp.path("logits").path("Q8_0")))
                    .isLessThan(SafetensorsGoldenTest.INT8_ACTIVATION_TOLERANCE);
        }
    }

    @Test
    void refusesWhatTheFormatCannotHoldAndExistingOutputs(@TempDir Path dir) throws IOException {
        try (LanguageModel lm = tinyLlama()) {
            assertThatThrownBy(() -> Checkpoints.saveHf(lm, dir.resolve("x"), Encoding.Q4_0, false))
                    .hasMessageContaining("F32, F16 or BF16");
            assertThat(dir.resolve("x")).doesNotExist();

            Path hf = Files.createDirectories(dir.resolve("hf"));
            Files.writeString(hf.resolve("keep.txt"), "mine");
            assertThatThrownBy(() -> Checkpoints.saveHf(lm, hf, Encoding.F32, false))
                    .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("--force");
            assertThat(hf.resolve("keep.txt")).hasContent("mine");
            Checkpoints.saveHf(lm, hf, Encoding.F32, true);
            assertThat(hf.resolve("keep.txt")).doesNotExist();
            assertThat(hf.resolve("model.safetensors")).exists();

            Path gguf = Files.writeString(dir.resolve("m.gguf"), "not yet");
            assertThatThrownBy(() -> Checkpoints.saveGguf(lm, gguf, Encoding.F32, false))
                    .isInstanceOf(FileAlreadyExistsException.class);
            assertThat(gguf).hasContent("not yet");
            Checkpoints.saveGguf(lm, gguf, Encoding.F32, true);
            assertThat(GgufFile.isGguf(gguf)).isTrue();
        }
        // nothing half-written is left beside the outputs
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))).isEmpty();
        }
    }

    @Test
    void huggingFaceDirectoryCarriesTokenizerTemplateAndGenerationConfig(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("hf");
        int[] want;
        try (LanguageModel lm = tinyLlama()) {
            Checkpoints.saveHf(lm, out, Encoding.F32, false);
            want = greedy(lm, lm.tokenizer().encode(TEXT, true), 8);
        }
        assertThat(out.resolve("tokenizer.json")).exists();
        JsonNode tc = JSON.readTree(out.resolve("tokenizer_config.json").toFile());
        assertThat(tc.path("chat_template").asText()).isEqualTo(ChatTemplate.orchardDefault().source());
        JsonNode gen = JSON.readTree(out.resolve("generation_config.json").toFile());
        assertThat(gen.path("eos_token_id").asInt()).isEqualTo(2);
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertThat(config.path("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
        assertThat(config.path("model_type").asText()).isEqualTo("llama");
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.hasTokenizer()).isTrue();
            assertThat(back.tokenizer().vocabSize()).isEqualTo(VOCAB);
            assertThat(back.tokenizer().decode(back.tokenizer().encode(TEXT, true), true)).isEqualTo(TEXT);
            assertThat(back.chatTemplate()).map(ChatTemplate::source).hasValue(ChatTemplate.orchardDefault().source());
            assertThat(greedy(back, back.tokenizer().encode(TEXT, true), 8)).containsExactly(want);
        }
    }

    @Test
    void ggufCarriesTokenizerAndChatTemplate(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("m.gguf");
        try (LanguageModel lm = tinyLlama()) {
            Checkpoints.saveGguf(lm, out, Encoding.F16, false);
        }
        try (GgufFile gguf = GgufFile.open(out)) {
            Map<String, Object> md = gguf.metadata();
            assertThat(md.get("tokenizer.ggml.model")).isEqualTo("gpt2");
            assertThat((List<?>) md.get("tokenizer.ggml.tokens")).hasSize(VOCAB);
            assertThat(md).containsKeys("tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.ggml.pre");
            assertThat(md.get("tokenizer.ggml.bos_token_id")).isEqualTo(1L);
            assertThat(md.get("tokenizer.ggml.eos_token_id")).isEqualTo(2L);
            assertThat(md.get("tokenizer.ggml.add_bos_token")).isEqualTo(true);
            assertThat(md.get("tokenizer.chat_template")).isEqualTo(ChatTemplate.orchardDefault().source());
        }
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.tokenizer().decode(back.tokenizer().encode(TEXT, true), true)).isEqualTo(TEXT);
            assertThat(back.chatTemplate()).isPresent();
        }
    }

    @Test
    void checkpointWithoutTokenizerIsAnErrorNamingWhatIsMissing(@TempDir Path dir) throws IOException {
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-tied"))) {
            assertThat(lm.hasTokenizer()).isFalse();
            assertThatThrownBy(lm::tokenizer).isInstanceOf(FormatException.class)
                    .hasMessageContaining("no tokenizer").hasMessageContaining("tokenizer.json is missing");
            assertThatThrownBy(() -> Checkpoints.saveHf(lm, dir.resolve("x"), Encoding.F32, false))
                    .hasMessageContaining("tokenizer.json is missing");
            // weights still compute: logits from token ids need no tokenizer
            assertThat(lm.logits(new int[] {1, 2, 3})).hasSize(3 * lm.config().vocabSize());
        }
        // a tokenizer given explicitly supplies what the checkpoint lacks
        Path withTok = dir.resolve("tok");
        try (LanguageModel lm = tinyLlama()) {
            Checkpoints.saveHf(lm, withTok, Encoding.F32, false);
        }
        Path weightsOnly = dir.resolve("weights");
        try (LanguageModel lm = tinyLlama()) {
            Checkpoints.saveHf(lm.transformer(), weightsOnly, Encoding.F32, Checkpoints.Extras.weightsOnly(), false);
        }
        try (LanguageModel lm = LanguageModel.load(weightsOnly, LanguageModel.Options.defaults().withTokenizer(withTok))) {
            assertThat(lm.tokenizer().vocabSize()).isEqualTo(VOCAB);
            assertThat(lm.chatTemplate()).isPresent();
        }
        assertThatThrownBy(() -> LanguageModel.load(weightsOnly, LanguageModel.Options.defaults().withTokenizer(dir.resolve("none"))))
                .hasMessageContaining("does not exist");
    }

    @Test
    void tokenizerLargerThanTheModelIsRefused(@TempDir Path dir) throws IOException {
        Path withTok = dir.resolve("tok");
        try (LanguageModel lm = tinyLlama()) {
            Checkpoints.saveHf(lm, withTok, Encoding.F32, false);
        }
        // gqa-tied has 128 embedding rows, the tokenizer 320 tokens
        assertThatThrownBy(() -> LanguageModel.load(TestData.path("golden/gqa-tied"),
                LanguageModel.Options.defaults().withTokenizer(withTok)))
                .hasMessageContaining("320 tokens").hasMessageContaining("vocab_size is 128");
    }

    @Test
    void qkNormModelsAreWrittenAsQwen3InBothFormats(@TempDir Path dir) throws IOException {
        Path hf = dir.resolve("hf");
        Path gguf = dir.resolve("m.gguf");
        float[] want;
        int[] prompt;
        try (LanguageModel lm = tinyQwen3()) {
            prompt = lm.tokenizer().encode(TEXT, true);
            want = lm.logits(prompt);
            Checkpoints.saveHf(lm, hf, Encoding.F32, false);
            Checkpoints.saveGguf(lm, gguf, Encoding.F32, false);
        }
        JsonNode config = JSON.readTree(hf.resolve("config.json").toFile());
        assertThat(config.path("architectures").get(0).asText()).isEqualTo("Qwen3ForCausalLM");
        assertThat(config.path("model_type").asText()).isEqualTo("qwen3");
        try (GgufFile f = GgufFile.open(gguf)) {
            assertThat(f.metadata().get("general.architecture")).isEqualTo("qwen3");
            assertThat(f.metadata()).containsKey("qwen3.block_count").doesNotContainKey("llama.block_count");
            assertThat(f.tensors()).containsKeys("blk.0.attn_q_norm.weight", "blk.0.attn_k_norm.weight");
        }
        for (Path p : List.of(hf, gguf)) {
            try (LanguageModel back = LanguageModel.load(p)) {
                assertThat(back.config().qkNorm()).isTrue();
                // qwen3 GGUF rotates halves like Hugging Face: nothing is permuted
                assertThat(back.transformer().adjacentPairRope()).isFalse();
                assertThat(maxDiff(back.logits(prompt), want)).as(p.toString()).isLessThan(1e-5);
            }
        }
    }

    /**
     * GGUF (written by llama.cpp's tools) -> Hugging Face -> GGUF: the Hugging Face copy (F16 for the F16 file, F32,
     * the dequantized weights, for the others) has q/k rows back in Hugging Face order and gives the reference
     * greedy output of the file's weights, keeps the tokenizer, and converting it back to the file's encoding gives tensors bit-identical to the
     * original file's (so the same greedy output on any kernel path) (llama.cpp's Q8_0 and Q4_0 quantizers are idempotent on their own dequantized blocks).
     */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32.gguf", "tiny-f16.gguf", "tiny-q8_0.gguf", "tiny-q4_0.gguf"})
    void ggufToHuggingFaceToGgufIsLossless(String file, @TempDir Path dir) throws IOException {
        Path source = TestData.path("gguf/" + file);
        Path hf = dir.resolve("hf");
        Path back = dir.resolve("back.gguf");
        JsonNode exp = GgufGoldenTest.expected();
        int[] tokens = ints(exp.path("token_ids"));
        // PyTorch's greedy tokens on the file's dequantized weights: what float weights must give
        int[] reference = ints(exp.path("files").path(file).path("greedy_after_prompt"));
        int[] encoded;
        int[] want;
        Encoding encoding;
        try (LanguageModel lm = LanguageModel.load(source)) {
            encoding = lm.transformer().layer(0).projection(Projection.Q_PROJ).encoding();
            encoded = lm.tokenizer().encode(TEXT, true);
            want = greedy(lm, tokens, 16);
            Checkpoints.saveHf(lm, hf, encoding == Encoding.F16 ? Encoding.F16 : Encoding.F32, false);
        }
        try (LanguageModel lm = LanguageModel.load(hf)) {
            assertThat(lm.transformer().adjacentPairRope()).isFalse();
            assertThat(lm.tokenizer().encode(TEXT, true)).containsExactly(encoded);
            assertThat(greedy(lm, tokens, reference.length)).containsExactly(reference);
            Checkpoints.saveGguf(lm, back, encoding, false);
        }
        try (GgufFile original = GgufFile.open(source); GgufFile copy = GgufFile.open(back)) {
            assertThat(copy.tensors().keySet()).containsExactlyInAnyOrderElementsOf(original.tensors().keySet());
            for (GgufFile.Tensor t : original.tensors().values()) {
                GgufFile.Tensor c = copy.tensor(t.name());
                assertThat(c.dims()).as(t.name()).containsExactly(t.dims());
                assertThat(c.type()).as(t.name()).isEqualTo(t.type());
                assertThat(c.data().toArray(ValueLayout.JAVA_BYTE)).as(t.name())
                        .isEqualTo(t.data().toArray(ValueLayout.JAVA_BYTE));
            }
            for (String key : List.of("general.architecture", "tokenizer.ggml.tokens", "tokenizer.ggml.merges",
                    "tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.token_type",
                    "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "llama.rope.freq_base",
                    "llama.attention.layer_norm_rms_epsilon", "llama.context_length")) {
                assertThat(copy.metadata().get(key)).as(key).isEqualTo(original.metadata().get(key));
            }
        }
        try (LanguageModel lm = LanguageModel.load(back)) {
            assertThat(greedy(lm, tokens, 16)).containsExactly(want);
        }
    }

    /** Hugging Face -> GGUF -> Hugging Face at each float encoding: the weights and greedy output come back. */
    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "BF16"})
    void huggingFaceToGgufToHuggingFaceIsLossless(String dtype, @TempDir Path dir) throws IOException {
        Encoding e = Encoding.valueOf(dtype);
        Path first = dir.resolve("first");
        Path gguf = dir.resolve("m.gguf");
        Path second = dir.resolve("second");
        try (LanguageModel lm = tinyLlama()) {
            Checkpoints.saveHf(lm, first, e, false);
        }
        int[] prompt;
        int[] want;
        try (LanguageModel lm = LanguageModel.load(first)) {
            prompt = lm.tokenizer().encode(TEXT, true);
            want = greedy(lm, prompt, 12);
            Checkpoints.saveGguf(lm, gguf, e, false);
        }
        try (LanguageModel lm = LanguageModel.load(gguf)) {
            assertThat(lm.transformer().adjacentPairRope()).isTrue();
            assertThat(greedy(lm, prompt, 12)).containsExactly(want);
            Checkpoints.saveHf(lm, second, e, false);
        }
        assertThat(second.resolve("model.safetensors")).hasSameBinaryContentAs(first.resolve("model.safetensors"));
        assertThat(JSON.readTree(second.resolve("config.json").toFile()))
                .isEqualTo(JSON.readTree(first.resolve("config.json").toFile()));
        try (LanguageModel lm = LanguageModel.load(second)) {
            assertThat(lm.tokenizer().encode(TEXT, true)).containsExactly(prompt);
            assertThat(greedy(lm, prompt, 12)).containsExactly(want);
        }
    }

    /** Below F16 the round trip goes through the encoding once: greedy output stays that of the Q8_0 weights. */
    @Test
    void huggingFaceThroughQuantizedGgufStaysWithinTheEncoding(@TempDir Path dir) throws IOException {
        Path gguf = dir.resolve("q8.gguf");
        Path hf = dir.resolve("hf");
        Path again = dir.resolve("again.gguf");
        int[] prompt;
        try (LanguageModel lm = tinyLlama()) {
            prompt = lm.tokenizer().encode(TEXT, true);
            Checkpoints.saveGguf(lm, gguf, Encoding.Q8_0, false);
        }
        int[] want;
        float[] wantLogits;
        try (LanguageModel lm = LanguageModel.load(gguf)) {
            want = greedy(lm, prompt, 12);
            wantLogits = lm.logits(prompt);
            Checkpoints.saveHf(lm, hf, Encoding.F32, false);
        }
        try (LanguageModel lm = LanguageModel.load(hf, new LanguageModel.Options(Encoding.Q8_0))) {
            assertThat(maxDiff(lm.logits(prompt), wantLogits)).isLessThan(SafetensorsGoldenTest.INT8_ACTIVATION_TOLERANCE);
            Checkpoints.saveGguf(lm, again, Encoding.Q8_0, false);
        }
        try (LanguageModel lm = LanguageModel.load(again)) {
            assertThat(greedy(lm, prompt, 12)).containsExactly(want);
        }
    }

    /** The tiny preset's byte-only tokenizer (258 tokens, no merges) still makes a GGUF file that reads back. */
    @Test
    void byteOnlyTokenizerWritesAnEmptyMergeList(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("tiny.gguf");
        try (LanguageModel lm = LanguageModel.of(RandomModels.create(ModelConfig.tiny(), Encoding.F32, 1))) {
            Checkpoints.saveGguf(lm, out, Encoding.F32, false);
        }
        try (GgufFile f = GgufFile.open(out)) {
            assertThat((List<?>) f.metadata().get("tokenizer.ggml.merges")).isEmpty();
        }
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.tokenizer().encode("ab", false)).containsExactly('a', 'b');
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
