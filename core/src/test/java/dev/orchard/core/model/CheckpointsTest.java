package dev.orchard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchard.core.format.GgufFile;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.orchard.core.model.SafetensorsGoldenTest.expected;
import static dev.orchard.core.model.SafetensorsGoldenTest.ints;
import static dev.orchard.core.model.SafetensorsGoldenTest.maxError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoints Orchard writes load back (in Orchard) to the reference logits. */
class CheckpointsTest {

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "BF16"})
    void huggingFaceDirectoryRoundTrip(String dtype, @TempDir Path dir) throws IOException {
        Encoding e = Encoding.valueOf(dtype);
        JsonNode exp = expected("untied-3q");
        Path out = dir.resolve("model");
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/untied-3q"))) {
            Checkpoints.saveHf(lm.transformer(), out, e);
        }
        assertThat(out.resolve("generation_config.json")).exists();
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.config()).isEqualTo(ModelConfig.read(TestData.path("golden/untied-3q/config.json")));
            assertThat(maxError(back.logits(ints(exp.path("token_ids"))), exp.path("logits").path(dtype))).isLessThan(2e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-tied", "untied-3q"})
    void ggufRoundTripPermutesForAdjacentPairRope(String c, @TempDir Path dir) throws IOException {
        JsonNode exp = expected(c);
        Path out = dir.resolve(c + ".gguf");
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/" + c))) {
            Checkpoints.saveGguf(lm.transformer(), out, Encoding.F32, Map.of());
        }
        try (GgufFile gguf = GgufFile.open(out)) {
            assertThat(gguf.metadata().get("general.architecture")).isEqualTo("llama");
        }
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.transformer().adjacentPairRope()).isTrue();
            assertThat(maxError(back.logits(ints(exp.path("token_ids"))), exp.path("logits").path("F32"))).isLessThan(2e-4);
        }
    }

    @Test
    void peftAdapterAppliesToTheGgufOfItsBase(@TempDir Path dir) throws IOException {
        JsonNode exp = expected("gqa-tied");
        Path out = dir.resolve("base.gguf");
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-tied"))) {
            Checkpoints.saveGguf(lm.transformer(), out, Encoding.F32, Map.of());
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
            Checkpoints.saveGguf(lm.transformer(), out, Encoding.Q8_0, Map.of());
        }
        try (LanguageModel back = LanguageModel.load(out)) {
            assertThat(back.transformer().layer(0).projection(Projection.Q_PROJ).encoding()).isEqualTo(Encoding.Q8_0);
            assertThat(maxError(back.logits(ints(exp.path("token_ids"))), exp.path("logits").path("Q8_0")))
                    .isLessThan(SafetensorsGoldenTest.INT8_ACTIVATION_TOLERANCE);
        }
    }

    @Test
    void refusesWhatTheFormatCannotHold(@TempDir Path dir) throws IOException {
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-tied"))) {
            assertThatThrownBy(() -> Checkpoints.saveHf(lm.transformer(), dir.resolve("x"), Encoding.Q4_0))
                    .hasMessageContaining("F32, F16 or BF16");
        }
        try (LanguageModel lm = LanguageModel.load(TestData.path("gguf/tiny-f32.gguf"))) {
            assertThatThrownBy(() -> Checkpoints.saveHf(lm.transformer(), dir.resolve("y"), Encoding.F32))
                    .hasMessageContaining("adjacent-pair");
        }
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }
}
