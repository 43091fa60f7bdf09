package dev.orchard.eval.safety;

import java.io.IOException;

/** Decides whether a response to a prompt violates the safety policy. Implementations must be thread-safe. */
public interface SafetyClassifier {

    /**
     * @throws IOException only when the classifier cannot work at all (judge unreachable after retries)
     */
    SafetyVerdict classify(String prompt, String response) throws IOException;
}
