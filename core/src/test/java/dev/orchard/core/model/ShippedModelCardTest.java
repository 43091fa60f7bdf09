package dev.orchard.core.model;

import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped model's card says what its config.json says, and the config is labelled as what it computes. */
class ShippedModelCardTest {

    private static final Path MODEL = TestData.repo().resolve("models/orchard-stories");

    @Test
    void cardMatchesConfig() throws IOException {
        ModelConfig c = ModelConfig.read(MODEL.resolve("config.json"));
        String card = Files.readString(MODEL.resolve("README.md"));
        assertThat(card)
                .contains(c.numHiddenLayers() + " layers")
                .contains("hidden " + c.hiddenSize())
                .contains(c.numAttentionHeads() + " query heads sharing " + c.numKeyValueHeads() + " KV heads of " + c.headDim())
                .contains("FFN " + c.intermediateSize())
                .contains("RoPE theta " + (long) c.ropeTheta())
                .contains("context " + c.maxPositionEmbeddings())
                .contains(String.format(Locale.ROOT, "vocabulary %,d", c.vocabSize()));
        assertThat(card).contains(c.qkNorm() ? "QK-norm" : "no QK-norm");
        assertThat(card).contains(c.tieWordEmbeddings() ? "tied embeddings" : "untied embeddings");
    }

    @Test
    void configIsLabelledAsTheArchitectureItComputes() throws IOException {
        ModelConfig c = ModelConfig.read(MODEL.resolve("config.json"));
        String json = Files.readString(MODEL.resolve("config.json"));
        // transformers' Llama has no q/k norms: a QK-norm model labelled Llama would compute another model
        assertThat(json).contains(c.qkNorm() ? "Qwen3ForCausalLM" : "LlamaForCausalLM");
        assertThat(ModelConfig.fromJson(c.toJson())).isEqualTo(c);
    }
}
