package dev.orchard.core.generate;

import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.RandomModels;
import dev.orchard.core.model.Session;
import dev.orchard.core.quant.Encoding;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GenerationStateTest {

    private static final LanguageModel LM = LanguageModel.of(RandomModels.create(ModelConfig.tiny(), Encoding.F32, 3));

    @Test
    void distributionIsNormalizedAndFiltered() {
        int[] prompt = LM.tokenizer().encode("hi", true);
        float[] logits = LM.newSession(16).prefill(prompt);
        float[] copy = logits.clone();
        GenerationState g = new GenerationState(LM.tokenizer(), prompt, new SamplingConfig(0.9, 5, 1, 0, 1, 1),
                new GenerationConfig(4, Set.of(), List.of()));
        double[] p = g.distribution(logits);
        assertThat(logits).containsExactly(copy);
        assertThat(Arrays.stream(p).sum()).isCloseTo(1, within(1e-9));
        assertThat(Arrays.stream(p).filter(v -> v > 0).count()).isEqualTo(5);
        GenerationState greedy = new GenerationState(LM.tokenizer(), prompt, SamplingConfig.greedy(),
                new GenerationConfig(4, Set.of(), List.of()));
        assertThat(greedy.distribution(logits)[Sampler.argmax(logits)]).isEqualTo(1);
    }

    @Test
    void logprobsAreTheModelsLogSoftmax() {
        int[] prompt = LM.tokenizer().encode("hi", true);
        float[] logits = LM.newSession(16).prefill(prompt);
        double max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        int best = Sampler.argmax(logits);
        GenerationState g = new GenerationState(LM.tokenizer(), prompt, SamplingConfig.greedy(),
                new GenerationConfig(4, Set.of(), List.of())).withLogprobs(3);
        GenerationState.Step s = g.next(logits.clone());
        assertThat(s.token()).isEqualTo(best);
        assertThat(s.logprob()).isCloseTo(logits[best] - lse, within(1e-5));
        assertThat(s.top()).hasSize(3);
        assertThat(s.top().get(0).token()).isEqualTo(best);
        assertThat(s.top().get(0).logprob()).isGreaterThanOrEqualTo(s.top().get(1).logprob());
    }

    @Test
    void aFrequencyPenaltyStopsRepetition() {
        int[] prompt = LM.tokenizer().encode("aaaa", true);
        int[] plain = run(prompt, 0);
        int[] penalised = run(prompt, 2);
        assertThat(distinct(penalised)).isGreaterThanOrEqualTo(distinct(plain));
        assertThat(penalised).isNotEqualTo(plain);
    }

    private static int[] run(int[] prompt, double frequency) {
        Session s = LM.newSession(64);
        GenerationState g = new GenerationState(LM.tokenizer(), prompt, SamplingConfig.greedy(),
                new GenerationConfig(30, Set.of(), List.of())).withPenalties(0, frequency);
        float[] logits = s.prefill(prompt);
        while (true) {
            GenerationState.Step step = g.next(logits);
            if (step.finished()) {
                return g.tokens();
            }
            logits = s.decode(step.token());
        }
    }

    private static long distinct(int[] t) {
        return Arrays.stream(t).distinct().count();
    }

    @Test
    void acceptedTokensCountAndStopTokensFinish() {
        int[] prompt = LM.tokenizer().encode("x", true);
        GenerationState g = new GenerationState(LM.tokenizer(), prompt, SamplingConfig.greedy(),
                new GenerationConfig(10, Set.of(7), List.of()));
        assertThat(g.accept('a').finished()).isFalse();
        GenerationState.Step stop = g.accept(7);
        assertThat(stop.finished()).isTrue();
        assertThat(g.finishReason()).isEqualTo("stop");
        assertThat(g.tokens()).containsExactly('a');
    }
}
