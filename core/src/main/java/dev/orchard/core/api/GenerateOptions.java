package dev.orchard.core.api;

import dev.orchard.core.generate.SamplingConfig;
import dev.orchard.core.model.GenerationDefaults;

import java.util.List;

/**
 * How {@link Model} generates: length, sampling and stop strings. Every value left unset comes from the model's
 * {@code generation_config.json} when it gives one, else from Orchard's defaults ({@link #ORCHARD_DEFAULTS}, 256
 * tokens). Immutable: each {@code withX} method returns a copy.
 *
 * <pre>{@code
 * GenerateOptions.defaults().maxTokens(64).temperature(0.7).seed(42).stop("\n\n")
 * GenerateOptions.defaults().greedy()
 * }</pre>
 */
public final class GenerateOptions {

    /** Orchard's sampling defaults where neither the caller nor the model says otherwise. */
    public static final SamplingConfig ORCHARD_DEFAULTS = new SamplingConfig(0.8, 40, 0.95, 0.05, 1.0, 0);
    /** Orchard's default length where neither the caller nor the model says otherwise. */
    public static final int ORCHARD_MAX_TOKENS = 256;

    private final Integer maxTokens;
    private final Double temperature;
    private final Integer topK;
    private final Double topP;
    private final Double minP;
    private final Double repetitionPenalty;
    private final Long seed;
    private final List<String> stop;

    private GenerateOptions(Integer maxTokens, Double temperature, Integer topK, Double topP, Double minP,
                            Double repetitionPenalty, Long seed, List<String> stop) {
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.minP = minP;
        this.repetitionPenalty = repetitionPenalty;
        this.seed = seed;
        this.stop = List.copyOf(stop);
    }

    /** Nothing set: the model's generation_config.json, then Orchard's defaults; a random seed. */
    public static GenerateOptions defaults() {
        return new GenerateOptions(null, null, null, null, null, null, null, List.of());
    }

    /** At most {@code n} generated tokens. */
    public GenerateOptions maxTokens(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + n);
        }
        return new GenerateOptions(n, temperature, topK, topP, minP, repetitionPenalty, seed, stop);
    }

    /** Sampling temperature; 0 is greedy. */
    public GenerateOptions temperature(double t) {
        return new GenerateOptions(maxTokens, t, topK, topP, minP, repetitionPenalty, seed, stop);
    }

    /** Always the likeliest token: the same output every time. */
    public GenerateOptions greedy() {
        return temperature(0);
    }

    /** Keep the {@code k} likeliest tokens; 0 keeps all. */
    public GenerateOptions topK(int k) {
        return new GenerateOptions(maxTokens, temperature, k, topP, minP, repetitionPenalty, seed, stop);
    }

    /** Nucleus sampling: keep the likeliest tokens whose probabilities sum to {@code p}. */
    public GenerateOptions topP(double p) {
        return new GenerateOptions(maxTokens, temperature, topK, p, minP, repetitionPenalty, seed, stop);
    }

    /** Drop tokens less likely than {@code p} times the likeliest. */
    public GenerateOptions minP(double p) {
        return new GenerateOptions(maxTokens, temperature, topK, topP, p, repetitionPenalty, seed, stop);
    }

    /** Penalise tokens already present; 1 disables. */
    public GenerateOptions repetitionPenalty(double r) {
        return new GenerateOptions(maxTokens, temperature, topK, topP, minP, r, seed, stop);
    }

    /** The sampler's seed: the same seed, prompt and options give the same text. */
    public GenerateOptions seed(long s) {
        return new GenerateOptions(maxTokens, temperature, topK, topP, minP, repetitionPenalty, s, stop);
    }

    /** Stop when any of these strings appears; the text ends before it. */
    public GenerateOptions stop(String... strings) {
        return new GenerateOptions(maxTokens, temperature, topK, topP, minP, repetitionPenalty, seed, List.of(strings));
    }

    public List<String> stopStrings() {
        return stop;
    }

    /** The length: this option, else the model's max_new_tokens, else {@link #ORCHARD_MAX_TOKENS}. */
    public int maxTokens(GenerationDefaults model) {
        return maxTokens != null ? maxTokens : model.maxNewTokens().orElse(ORCHARD_MAX_TOKENS);
    }

    /**
     * The sampling these options mean for a model: each value set here, else the model's generation_config.json
     * value, else {@link #ORCHARD_DEFAULTS}; the seed set here, else a fresh one.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public SamplingConfig sampling(GenerationDefaults model) {
        SamplingConfig c = model.applyTo(ORCHARD_DEFAULTS);
        return new SamplingConfig(temperature != null ? temperature : c.temperature(), topK != null ? topK : c.topK(),
                topP != null ? topP : c.topP(), minP != null ? minP : c.minP(),
                repetitionPenalty != null ? repetitionPenalty : c.repetitionPenalty(),
                seed != null ? seed : System.nanoTime());
    }
}
