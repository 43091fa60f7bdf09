package dev.orchard.eval.perplexity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.model.LanguageModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Sliding-window losses on the committed tiny model against tools/reference/perplexity_reference.py (float64
 * PyTorch forward, Hugging Face's windowing), with and without its LoRA adapter.
 */
class PerplexityTest {

    private static final Path REPO = Path.of(System.getProperty("orchard.repo"));

    @Test
    void matchesThePyTorchReference() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(REPO.resolve("testdata/golden/perplexity/expected.json")
                .toFile());
        int[] tokens = new int[expected.get("tokens").size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = expected.get("tokens").get(i).asInt();
        }
        try (LanguageModel lm = LanguageModel.load(REPO.resolve("testdata/golden/gqa-tied"))) {
            LoraAdapter adapter = lm.loadAdapter(REPO.resolve("testdata/golden/gqa-tied/adapter"));
            int vocab = lm.config().vocabSize();
            for (JsonNode c : expected.get("cases")) {
                boolean tuned = c.get("model").asText().equals("adapter");
                Perplexity.Logits logits = w -> (tuned ? lm.newSession(w.length, adapter) : lm.newSession(w.length))
                        .prefillAll(w);
                var options = new Perplexity.Options(c.get("context").asInt(), c.get("stride").asInt());
                double[] losses = Perplexity.tokenLosses(logits, vocab, tokens, options);
                String what = c.get("model").asText() + " context " + options.context() + " stride " + options.stride();
                assertThat(losses).as(what).hasSize(c.get("losses").size());
                for (int i = 0; i < losses.length; i++) {
                    JsonNode e = c.get("losses").get(i);
                    if (e.isNull()) {
                        assertThat(losses[i]).as(what + " token " + (i + 1)).isNaN();
                    } else {
                        assertThat(losses[i]).as(what + " token " + (i + 1)).isCloseTo(e.asDouble(), within(1e-3));
                    }
                }
                var doc = new Perplexity.DocumentScore(tokens, losses, 100);
                assertThat(doc.scoredTokens()).as(what).isEqualTo(c.get("scored").asInt());
                double ppl = Perplexity.Result.of(java.util.List.of(doc)).perplexity();
                assertThat(ppl).as(what).isCloseTo(c.get("perplexity").asDouble(),
                        within(1e-4 * c.get("perplexity").asDouble()));
            }
        }
    }

    @Test
    void lossIsNegativeLogSoftmax() {
        float[] logits = {0f, (float) Math.log(3)}; // probabilities 1/4 and 3/4
        assertThat(Perplexity.nll(logits, 0, 2, 1)).isCloseTo(-Math.log(0.75), within(1e-6));
        assertThat(Perplexity.nll(logits, 0, 2, 0)).isCloseTo(-Math.log(0.25), within(1e-6));
        assertThatThrownBy(() -> Perplexity.nll(logits, 0, 2, 2)).hasMessageContaining("vocabulary");
    }

    @Test
    void uniformModelHasPerplexityOfItsVocabularyAndBitsPerByteFollow() {
        int vocab = 16;
        Perplexity.Logits uniform = w -> new float[w.length * vocab];
        int[] tokens = {1, 5, 7, 9, 3, 2, 8};
        double[] losses = Perplexity.tokenLosses(uniform, vocab, tokens, new Perplexity.Options(4, 2));
        var r = Perplexity.Result.of(java.util.List.of(new Perplexity.DocumentScore(tokens, losses, 12)));
        assertThat(r.tokens()).isEqualTo(6);
        assertThat(r.perplexity()).isCloseTo(16, within(1e-9));
        assertThat(r.bitsPerByte()).isCloseTo(6 * 4 / 12.0, within(1e-9));
        assertThatThrownBy(() -> new Perplexity.Options(8, 9)).hasMessageContaining("stride");
    }
}
