package dev.orchard.eval.ifeval;

/** The two comparisons IFEval's counting instructions use. */
enum Relation {
    LESS_THAN("less than"),
    AT_LEAST("at least");

    private final String text;

    Relation(String text) {
        this.text = text;
    }

    boolean holds(int actual, int threshold) {
        return this == LESS_THAN ? actual < threshold : actual >= threshold;
    }

    static Relation parse(String text) {
        for (Relation r : values()) {
            if (r.text.equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("The supported relation for comparison must be in ('less than', "
                + "'at least'), but " + text + " is given.");
    }
}
