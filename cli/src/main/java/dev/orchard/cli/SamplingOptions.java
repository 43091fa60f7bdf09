package dev.orchard.cli;

import dev.orchard.core.api.GenerateOptions;
import dev.orchard.core.generate.SamplingConfig;
import dev.orchard.core.model.GenerationDefaults;
import picocli.CommandLine.Option;

/**
 * Sampling flags shared by generate and chat. A flag the user gives wins; otherwise the model's
 * generation_config.json decides; otherwise Orchard's defaults ({@link GenerateOptions}, the Java API's rules).
 */
final class SamplingOptions {

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

    /** The flags given, as the Java API's options (unset ones left to the model and Orchard's defaults). */
    GenerateOptions toOptions() {
        GenerateOptions o = GenerateOptions.defaults();
        o = temperature != null ? o.temperature(temperature) : o;
        o = topK != null ? o.topK(topK) : o;
        o = topP != null ? o.topP(topP) : o;
        o = minP != null ? o.minP(minP) : o;
        o = repetitionPenalty != null ? o.repetitionPenalty(repetitionPenalty) : o;
        return seed != null ? o.seed(seed) : o;
    }

    /** Orchard's defaults, then the model's generation_config.json, then the flags given. */
    SamplingConfig toConfig(GenerationDefaults model) {
        return toOptions().sampling(model);
    }
}
