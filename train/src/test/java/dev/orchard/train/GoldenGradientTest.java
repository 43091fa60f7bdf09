package dev.orchard.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchard.core.format.SafeTensors;
import dev.orchard.core.model.LanguageModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole-model gradients against PyTorch autograd (float64) on the golden checkpoints: every weight of a dense model,
 * and the LoRA factors over a frozen base (fixtures by tools/reference/golden_grads.py).
 */
class GoldenGradientTest {

    /** The Java side runs in float32; the largest gradients are about 1. */
    static final double TOLERANCE = 2e-4;

    static Grads lossAndGradients(TrainingModel m, JsonNode exp, String lossKey) {
        int[] tokens = TestFiles.ints(exp.path("token_ids"));
        int[] targets = TestFiles.ints(exp.path("targets"));
        Grads g = new Grads(m.trainableParameters());
        Tape tape = new Tape();
        Tensor loss = Losses.crossEntropy(tape, m.forward(tape, g, tokens), targets, tokens.length - 1);
        assertThat((double) loss.item()).isCloseTo(exp.path(lossKey).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        tape.backward(loss);
        return g;
    }

    static void compare(List<Parameter> params, Grads g, Path goldenFile, int expectedCount) throws IOException {
        try (SafeTensors golden = SafeTensors.open(goldenFile)) {
            Map<String, SafeTensors.Tensor> expected = golden.tensors();
            assertThat(params).hasSize(expectedCount);
            for (Parameter p : params) {
                assertThat(expected).as("golden gradient for " + p.name()).containsKey(p.name());
                float[] want = expected.get(p.name()).toFloatArray();
                float[] got = g.of(p);
                assertThat(got).hasSameSizeAs(want);
                double max = 0;
                double scale = 0;
                for (int i = 0; i < want.length; i++) {
                    max = Math.max(max, Math.abs(got[i] - want[i]));
                    scale = Math.max(scale, Math.abs(want[i]));
                }
                assertThat(scale).as(p.name() + " has a non-trivial gradient").isGreaterThan(1e-3);
                assertThat(max).as(p.name() + " max |grad - torch grad|").isLessThan(TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-tied", "gqa-qknorm", "untied-3q"})
    void everyWeightGradientMatchesTorch(String c) throws IOException {
        Path dir = TestFiles.testdata("golden/" + c);
        Path golden = TestFiles.testdata("golden-grads/" + c);
        JsonNode exp = TestFiles.json(golden.resolve("expected.json"));
        try (LanguageModel lm = LanguageModel.load(dir); SafeTensors weights = SafeTensors.open(dir.resolve("model.safetensors"))) {
            TrainingModel m = TrainingModel.of(lm.transformer(), true);
            Grads g = lossAndGradients(m, exp, "loss");
            compare(m.trainableParameters(), g, golden.resolve("grads.safetensors"), weights.tensors().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa-tied", "gqa-qknorm"})
    void loraGradientsOverAFrozenBaseMatchTorch(String c) throws IOException {
        Path dir = TestFiles.testdata("golden/" + c);
        Path golden = TestFiles.testdata("golden-grads/" + c);
        JsonNode exp = TestFiles.json(golden.resolve("expected.json"));
        try (LanguageModel lm = LanguageModel.load(dir)) {
            TrainingModel m = TrainingModel.of(lm.transformer(), false);
            m.loadLora(lm.loadAdapter(dir.resolve("adapter")));
            Grads g = lossAndGradients(m, exp, "lora_loss");
            compare(m.trainableParameters(), g, golden.resolve("lora_grads.safetensors"), 2 * 7 * m.layers.length);
        }
    }
}
