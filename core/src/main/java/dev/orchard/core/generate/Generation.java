package dev.orchard.core.generate;

/**
 * The outcome of one generation.
 *
 * @param finishReason "stop" (stop token or string), "length" (max tokens or context full)
 * @param prefillNanos time to run the prompt; {@code decodeNanos} time for the generated tokens after the first
 */
public record Generation(String text, int[] tokens, int promptTokens, String finishReason, long prefillNanos,
                         long decodeNanos) {

    /** Generated tokens per second, excluding the prompt. */
    public double decodeTokensPerSecond() {
        return tokens.length <= 1 || decodeNanos == 0 ? 0 : (tokens.length - 1) * 1e9 / decodeNanos;
    }

    public double prefillTokensPerSecond() {
        return prefillNanos == 0 ? 0 : promptTokens * 1e9 / prefillNanos;
    }
}
