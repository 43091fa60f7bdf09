package dev.orchard.core.generate;

/**
 * How the next token is chosen. {@code temperature == 0} is greedy (argmax). Filters apply in this order:
 * repetition penalty, temperature, top-k, top-p (nucleus), min-p; the survivors are renormalized and sampled
 * from a generator seeded by {@code seed}, so the same seed gives the same output.
 *
 * @param topK              0 disables
 * @param topP              1 disables
 * @param minP              0 disables (keeps tokens with probability >= minP * the top probability)
 * @param repetitionPenalty 1 disables; divides positive and multiplies negative logits of seen tokens (CTRL rule)
 */
public record SamplingConfig(double temperature, int topK, double topP, double minP, double repetitionPenalty,
                             long seed) {

    public SamplingConfig {
        if (!(temperature >= 0)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("min-p must be in [0, 1), got " + minP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetition penalty must be > 0, got " + repetitionPenalty);
        }
    }

    public static SamplingConfig greedy() {
        return new SamplingConfig(0, 0, 1, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
