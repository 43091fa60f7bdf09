package dev.orchard.core.generate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerTest {

    private static final float[] LOGITS = {1.0f, 3.0f, 2.0f, 0.5f, 2.9f};

    private static int[] counts(SamplingConfig cfg, int draws) {
        Sampler s = new Sampler(cfg);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < draws; i++) {
            counts[s.sample(LOGITS.clone(), new int[0], 0)]++;
        }
        return counts;
    }

    @Test
    void greedyIsArgmax() {
        assertThat(new Sampler(SamplingConfig.greedy()).sample(LOGITS.clone(), new int[0], 0)).isEqualTo(1);
    }

    @Test
    void sameSeedSameSequence() {
        SamplingConfig cfg = new SamplingConfig(1.0, 0, 1, 0, 1, 42);
        assertThat(counts(cfg, 200)).containsExactly(counts(cfg, 200));
        Sampler a = new Sampler(cfg);
        Sampler b = new Sampler(cfg);
        for (int i = 0; i < 50; i++) {
            assertThat(a.sample(LOGITS.clone(), new int[0], 0)).isEqualTo(b.sample(LOGITS.clone(), new int[0], 0));
        }
    }

    @Test
    void samplesFollowTheSoftmax() {
        int draws = 40000;
        int[] counts = counts(new SamplingConfig(1.0, 0, 1, 0, 1, 7), draws);
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            double p = Math.exp(LOGITS[i]) / z;
            double sd = Math.sqrt(p * (1 - p) / draws);
            assertThat((double) counts[i] / draws).as("token %d", i).isCloseTo(p, org.assertj.core.data.Offset.offset(5 * sd));
        }
    }

    @Test
    void topKKeepsOnlyTheBest() {
        int[] c = counts(new SamplingConfig(1.0, 2, 1, 0, 1, 1), 2000);
        assertThat(c[1] + c[4]).isEqualTo(2000);
        assertThat(c[1]).isGreaterThan(0);
        assertThat(c[4]).isGreaterThan(0);
    }

    @Test
    void topPCutsTheTail() {
        // p(1) ~ 0.36, p(4) ~ 0.33, p(2) ~ 0.13: top-p 0.6 keeps tokens 1 and 4 only.
        int[] c = counts(new SamplingConfig(1.0, 0, 0.6, 0, 1, 3), 2000);
        assertThat(c[1] + c[4]).isEqualTo(2000);
        int[] tiny = counts(new SamplingConfig(1.0, 0, 0.01, 0, 1, 3), 200);
        assertThat(tiny[1]).isEqualTo(200);
    }

    @Test
    void minPDropsUnlikelyTokens() {
        // min-p 0.5: keeps tokens with p >= 0.5 * p(top) -> tokens 1 and 4 (2 has ~0.37 of the top).
        int[] c = counts(new SamplingConfig(1.0, 0, 1, 0.5, 1, 5), 2000);
        assertThat(c[0] + c[2] + c[3]).isZero();
    }

    @Test
    void lowTemperatureApproachesGreedy() {
        assertThat(counts(new SamplingConfig(0.01, 0, 1, 0, 1, 9), 500)[1]).isEqualTo(500);
    }

    @Test
    void repetitionPenaltyDemotesSeenTokens() {
        float[] logits = LOGITS.clone();
        int token = new Sampler(new SamplingConfig(0, 0, 1, 0, 2.0, 0)).sample(logits, new int[] {1, 1}, 2);
        assertThat(token).isEqualTo(4);
        assertThat(logits[1]).isEqualTo(1.5f);
        float[] negative = {-1f, -2f};
        Sampler.applyRepetitionPenalty(negative, new int[] {0}, 1, 2f);
        assertThat(negative[0]).isEqualTo(-2f);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new SamplingConfig(-1, 0, 1, 0, 1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingConfig(1, 0, 0, 0, 1, 0)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> new SamplingConfig(1, -3, 1, 0, 1, 0)).hasMessageContaining("top-k");
    }
}
