package dev.orchard.eval.compare;

import java.io.IOException;
import java.util.Optional;

/** Compares two responses to one prompt, shown in a given order. Implementations must be thread-safe. */
public interface PairwiseJudge {

    /**
     * @return the preference, or empty when the verdict could not be read (counted as unparsed)
     * @throws IOException only when the judge cannot work at all
     */
    Optional<Preference> prefer(String prompt, String source, String first, String second) throws IOException;
}
