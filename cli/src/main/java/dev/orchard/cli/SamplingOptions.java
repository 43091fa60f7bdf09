package dev.orchard.cli;

import dev.orchard.core.generate.SamplingConfig;
import picocli.CommandLine.Option;

/** Sampling flags shared by generate and chat. */
final class SamplingOptions {

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "Keep the K likeliest tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05", description = "Drop tokens below P x the top probability (default: ${DEFAULT-VALUE}).")
    double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R", defaultValue = "1.0", description = "Penalty for tokens already present; 1 disables (default: ${DEFAULT-VALUE}).")
    double repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same output (default: random).")
    Long seed;

    SamplingConfig toConfig() {
        long s = seed != null ? seed : System.nanoTime();
        return new SamplingConfig(temperature, topK, topP, minP, repetitionPenalty, s);
    }
}
