package dev.orchard.eval;

import dev.orchard.eval.compare.GraderPairwiseJudge;
import dev.orchard.eval.compare.Preference;
import dev.orchard.eval.grade.Grade;
import dev.orchard.eval.grade.GradeItem;
import dev.orchard.eval.grade.GradeRun;
import dev.orchard.eval.grade.RuleGrader;
import dev.orchard.eval.grade.SummaryDimensions;
import dev.orchard.eval.grade.Verdict;
import dev.orchard.eval.report.ReportMerger;
import dev.orchard.eval.report.RunSummary;
import dev.orchard.eval.safety.LexicalSafetyClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RulesAndReportsTest {

    private static final String SOURCE = "The city council approved a new budget on Tuesday. The budget raises "
            + "library funding by 12 percent and adds two bus routes. Council members said the libraries had "
            + "been underfunded for years. Bus riders welcomed the new routes, and the budget passed 7 to 2.";

    @Test
    void wilsonIntervalMatchesTheFormula() {
        Proportion half = Proportion.of(5, 10);
        assertThat(half.lower()).isCloseTo(0.236593, within(1e-6));
        assertThat(half.upper()).isCloseTo(0.763407, within(1e-6));
        Proportion none = Proportion.of(0, 10);
        assertThat(none.lower()).isZero();
        assertThat(none.upper()).isCloseTo(0.277533, within(1e-6));
        assertThat(Proportion.of(0, 0).rate()).isZero();
    }

    @Test
    void ruleGraderRewardsAGoodSummaryAndPenalisesBadOnes() {
        RuleGrader g = new RuleGrader();
        Verdict good = g.grade(new GradeItem("1", "Summarize the article in one sentence.",
                "The council approved a budget that raises library funding by 12 percent and adds two bus routes.",
                SOURCE));
        assertThat(good.overall()).as(good.note()).isEqualTo(Grade.GOOD);

        Verdict invented = g.grade(new GradeItem("2", "Summarize.",
                "The council approved a budget that cuts library funding by 40 percent.", SOURCE));
        assertThat(invented.grades().get(SummaryDimensions.GROUNDEDNESS)).isEqualTo(Grade.POOR);

        Verdict tooLong = g.grade(new GradeItem("3", "Summarize in at most 10 words.",
                "The council approved a new budget on Tuesday that raises library funding and adds bus routes "
                        + "for riders across the whole city.", SOURCE));
        assertThat(tooLong.grades().get(SummaryDimensions.INSTRUCTION_FOLLOWING)).isEqualTo(Grade.POOR);

        Verdict looping = g.grade(new GradeItem("4", "Summarize.",
                "The budget passed. The budget passed. The budget passed. The budget passed. The budget passed.",
                SOURCE));
        assertThat(looping.grades().get(SummaryDimensions.COMPOSITION)).isEqualTo(Grade.POOR);
        assertThat(looping.grades().get(SummaryDimensions.COMPREHENSIVENESS)).isEqualTo(Grade.POOR);

        Verdict truncated = g.grade(new GradeItem("5", "Summarize.",
                "The council approved a budget that raises library funding and adds", SOURCE));
        assertThat(truncated.grades().get(SummaryDimensions.COMPOSITION)).isEqualTo(Grade.NEUTRAL);

        Verdict noSource = g.grade(new GradeItem("6", "Write a haiku.", "Leaves fall on the pond.", null));
        assertThat(noSource.grades().get(SummaryDimensions.GROUNDEDNESS)).isEqualTo(Grade.NEUTRAL);
        assertThat(noSource.overall()).isEqualTo(Grade.NEUTRAL);
    }

    @Test
    void lexicalClassifierMatchesWholeWordsOnly() throws Exception {
        LexicalSafetyClassifier custom = new LexicalSafetyClassifier(List.of("darn", "heck no"));
        assertThat(custom.classify("p", "Oh DARN it.").violation()).isTrue();
        assertThat(custom.classify("p", "heck   no!").violation()).isTrue();
        assertThat(custom.classify("p", "darning socks; heck yes").violation()).isFalse();
        String first;
        try (InputStream in = LexicalSafetyClassifier.class.getResourceAsStream("ldnoobw-en.txt")) {
            first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        }
        LexicalSafetyClassifier builtIn = LexicalSafetyClassifier.builtIn();
        assertThat(builtIn.classify("p", "text with " + first + " inside").violation()).isTrue();
        assertThat(builtIn.classify("p", "The library budget passed.").violation()).isFalse();
    }

    @Test
    void ruleBasedPairwiseJudgeIsSymmetric() throws Exception {
        var judge = new GraderPairwiseJudge(new RuleGrader());
        String good = "The council approved a budget that raises library funding by 12 percent and adds two bus "
                + "routes.";
        String bad = "The budget passed. The budget passed. The budget passed. The budget passed.";
        assertThat(judge.prefer("Summarize.", SOURCE, good, bad)).contains(Preference.FIRST);
        assertThat(judge.prefer("Summarize.", SOURCE, bad, good)).contains(Preference.SECOND);
    }

    @Test
    void gradeRunWritesFilesAndReportsMerge(@TempDir Path dir) throws Exception {
        List<GradeItem> items = List.of(
                new GradeItem("1", "Summarize.", "The council approved a budget raising library funding by 12 "
                        + "percent and adding two bus routes.", SOURCE),
                new GradeItem("2", "Summarize.", "", SOURCE));
        RuleGrader g = new RuleGrader();
        RunSummary s = GradeRun.write(dir.resolve("run1"), "rules", items, g.dimensions(),
                GradeRun.grade(items, g, 1));
        assertThat(s.metrics().get("poor").successes()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("run1/report.html"))).contains("<svg").contains("Per dimension");
        RunSummary back = RunSummary.read(dir.resolve("run1"));
        assertThat(back.metrics()).isEqualTo(s.metrics());
        assertThat(back.kind()).isEqualTo("grade");
        String merged = ReportMerger.html("Comparison", List.of(back, s));
        assertThat(merged).contains("<svg").contains("rules").contains("good");
    }
}
