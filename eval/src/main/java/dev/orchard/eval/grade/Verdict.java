package dev.orchard.eval.grade;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A grader's judgement of one response: a grade per dimension, or unparsed when the grader (an LLM judge) gave no
 * usable verdict.
 *
 * @param grades per dimension; empty when unparsed
 * @param note   the grader's reasons, or why the verdict could not be read
 */
public record Verdict(Map<String, Grade> grades, String note) {

    public Verdict {
        grades = new LinkedHashMap<>(grades);
    }

    public static Verdict unparsed(String why) {
        return new Verdict(Map.of(), why);
    }

    public boolean parsed() {
        return !grades.isEmpty();
    }

    /** GOOD if every dimension is good, POOR if any is poor, NEUTRAL otherwise. */
    public Grade overall() {
        if (!parsed()) {
            throw new IllegalStateException("an unparsed verdict has no overall grade");
        }
        Collection<Grade> g = grades.values();
        if (g.contains(Grade.POOR)) {
            return Grade.POOR;
        }
        return g.stream().allMatch(x -> x == Grade.GOOD) ? Grade.GOOD : Grade.NEUTRAL;
    }
}
