package dev.orchard.eval.compare;

import dev.orchard.eval.grade.Grade;
import dev.orchard.eval.grade.GradeItem;
import dev.orchard.eval.grade.Grader;
import dev.orchard.eval.grade.Verdict;

import java.io.IOException;
import java.util.Optional;

/**
 * A pairwise judge built on a {@link Grader}: grades both responses and prefers the one with the higher score
 * (+1 per good dimension, -1 per poor one); equal scores tie. With the rule grader this is an offline,
 * deterministic comparison, symmetric by construction.
 */
public final class GraderPairwiseJudge implements PairwiseJudge {

    private final Grader grader;

    public GraderPairwiseJudge(Grader grader) {
        this.grader = grader;
    }

    @Override
    public Optional<Preference> prefer(String prompt, String source, String first, String second) throws IOException {
        Verdict a = grader.grade(new GradeItem("a", prompt, first, source));
        Verdict b = grader.grade(new GradeItem("b", prompt, second, source));
        if (!a.parsed() || !b.parsed()) {
            return Optional.empty();
        }
        int sa = score(a);
        int sb = score(b);
        return Optional.of(sa > sb ? Preference.FIRST : sa < sb ? Preference.SECOND : Preference.TIE);
    }

    private static int score(Verdict v) {
        int s = 0;
        for (Grade g : v.grades().values()) {
            s += g == Grade.GOOD ? 1 : g == Grade.POOR ? -1 : 0;
        }
        return s;
    }
}
