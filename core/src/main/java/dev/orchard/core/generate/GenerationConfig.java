package dev.orchard.core.generate;

import java.util.List;
import java.util.Set;

/**
 * When to stop: after {@code maxTokens} new tokens, at any of {@code stopTokens} (not emitted), or when the text
 * contains any of {@code stopStrings} (the text is cut before it).
 */
public record GenerationConfig(int maxTokens, Set<Integer> stopTokens, List<String> stopStrings) {

    public GenerationConfig {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
        }
        stopTokens = Set.copyOf(stopTokens);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }
}
