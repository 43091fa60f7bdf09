package dev.orchard.eval.grade;

import java.util.Locale;
import java.util.Optional;

/** How a response does on one dimension. */
public enum Grade {
    GOOD, NEUTRAL, POOR;

    /** "good", "Neutral", "POOR" and so on; empty for anything else. */
    public static Optional<Grade> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "good" -> Optional.of(GOOD);
            case "neutral" -> Optional.of(NEUTRAL);
            case "poor" -> Optional.of(POOR);
            default -> Optional.empty();
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
