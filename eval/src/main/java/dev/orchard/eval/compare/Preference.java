package dev.orchard.eval.compare;

/** Which of two responses a judge prefers, in the order they were shown. */
public enum Preference {
    FIRST, SECOND, TIE;

    /** Score of the first response: 1 for a win, 0.5 for a tie, 0 for a loss. */
    double firstScore() {
        return this == FIRST ? 1 : this == TIE ? 0.5 : 0;
    }
}
