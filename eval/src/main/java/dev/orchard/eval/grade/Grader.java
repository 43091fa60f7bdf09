package dev.orchard.eval.grade;

import java.io.IOException;
import java.util.List;

/**
 * Grades responses on named dimensions. Rule-based graders ship built in ({@link RuleGrader}); {@link JudgeGrader}
 * asks an LLM. Implementations must be safe to call from several threads.
 */
public interface Grader {

    /** The dimensions this grader fills, in report order. */
    List<String> dimensions();

    /**
     * Grades one response; a verdict that cannot be read is {@link Verdict#unparsed}, not an exception.
     *
     * @throws IOException only when the grader cannot work at all (judge unreachable after retries)
     */
    Verdict grade(GradeItem item) throws IOException;
}
