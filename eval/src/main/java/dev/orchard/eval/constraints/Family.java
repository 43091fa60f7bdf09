package dev.orchard.eval.constraints;

import java.util.Locale;

/** The six families of story constraints a checker can verify. */
public enum Family {
    /** Every given word appears (whole word, any case). */
    WORDS,
    /** A character's name appears (whole word, as written). */
    NAME,
    /** The story begins with the given words. */
    OPENING,
    /** The story's last sentence is the given one. */
    ENDING,
    /** The story has at most, or at least, a number of words. */
    LENGTH,
    /** A word never appears (whole word, any case). */
    AVOID;

    /** The name used in JSON files and reports: the constant in lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Family parse(String id) {
        for (Family f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown constraint family '" + id + "' (expected one of words, name, "
                + "opening, ending, length, avoid)");
    }
}
