package dev.orchard.cli;

import dev.orchard.core.generate.SamplingConfig;
import dev.orchard.core.model.GenerationDefaults;
import picocli.CommandLine.Option;

/**
 * Sampling flags shared by generate and chat. A flag the user gives wins; otherwise the model's
 * generation_config.json decides; otherwise Orchard's defaults below.
 */
final class SamplingOptions {

    static final SamplingConfig DEFAULTS = new SamplingConfig(0.8, 40, 0.95, 0.05, 1.0, 0);
    private static final String FROM_MODEL = " (default: the model's generation_config.json, else ";

    @Option(names = "--temperature", paramLabel = "T",
            description = "Sampling temperature; 0 is greedy" + FROM_MODEL + "0.8).")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K likeliest tokens; 0 keeps all" + FROM_MODEL + "40).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling mass" + FROM_MODEL + "0.95).")
    Double topP;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens below P x the top probability" + FROM_MODEL + "0.05).")
    Double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "Penalty for tokens already present; 1 disables" + FROM_MODEL + "1.0).")
    Double repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same output (default: random).")
    Long seed;

    /** Orchard's defaults, then the model's generation_config.json, then the flags given. */
    SamplingConfig toConfig(GenerationDefaults model) {
        SamplingConfig c = model.applyTo(DEFAULTS);
        long s = seed != null ? seed : System.nanoTime();
        return new SamplingConfig(temperature != null ? temperature : c.temperature(), topK != null ? topK : c.topK(),
                topP != null ? topP : c.topP(), minP != null ? minP : c.minP(),
                repetitionPenalty != null ? repetitionPenalty : c.repetitionPenalty(), s);
    }
}
