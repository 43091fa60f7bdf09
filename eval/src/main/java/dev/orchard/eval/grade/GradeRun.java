package dev.orchard.eval.grade;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.eval.Concurrent;
import dev.orchard.eval.Proportion;
import dev.orchard.eval.report.BarChart;
import dev.orchard.eval.report.HtmlReport;
import dev.orchard.eval.report.RunSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grades a set of responses and reports the share that is good (every dimension good) and poor (any dimension
 * poor), with 95% Wilson intervals over the parsed verdicts, and the grade distribution per dimension. Writes
 * {@code grades.jsonl}, {@code summary.json} and {@code report.html}.
 */
public final class GradeRun {

    private GradeRun() {
    }

    /** Grades every item ({@code threads} at a time) and returns the verdicts in item order. */
    public static List<Verdict> grade(List<GradeItem> items, Grader grader, int threads) throws IOException {
        return Concurrent.map(items, threads, grader::grade);
    }

    public static RunSummary summarize(String name, List<String> dimensions, List<Verdict> verdicts) {
        int good = 0;
        int poor = 0;
        int parsed = 0;
        Map<String, int[]> perDim = new LinkedHashMap<>();
        for (String d : dimensions) {
            perDim.put(d, new int[3]);
        }
        for (Verdict v : verdicts) {
            if (!v.parsed()) {
                continue;
            }
            parsed++;
            Grade overall = v.overall();
            good += overall == Grade.GOOD ? 1 : 0;
            poor += overall == Grade.POOR ? 1 : 0;
            v.grades().forEach((d, g) -> perDim.computeIfAbsent(d, k -> new int[3])[g.ordinal()]++);
        }
        Map<String, Proportion> metrics = new LinkedHashMap<>();
        metrics.put("good", Proportion.of(good, parsed));
        metrics.put("poor", Proportion.of(poor, parsed));
        ObjectNode details = RunSummary.JSON.createObjectNode();
        details.put("items", verdicts.size());
        details.put("parsed", parsed);
        details.put("unparsed", verdicts.size() - parsed);
        ObjectNode dims = details.putObject("per_dimension");
        for (var e : perDim.entrySet()) {
            ObjectNode n = dims.putObject(e.getKey());
            for (Grade g : Grade.values()) {
                n.set(g.label(), RunSummary.JSON.valueToTree(Proportion.of(e.getValue()[g.ordinal()], parsed)));
            }
        }
        return new RunSummary("grade", name, metrics, details);
    }

    /** Writes grades.jsonl, summary.json and report.html into {@code dir}. */
    public static RunSummary write(Path dir, String name, List<GradeItem> items, List<String> dimensions,
                                   List<Verdict> verdicts) throws IOException {
        Files.createDirectories(dir);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            Verdict v = verdicts.get(i);
            ObjectNode n = RunSummary.JSON.createObjectNode();
            n.put("id", items.get(i).id());
            n.put("parsed", v.parsed());
            if (v.parsed()) {
                n.put("overall", v.overall().label());
                ObjectNode g = n.putObject("grades");
                v.grades().forEach((d, x) -> g.put(d, x.label()));
            }
            n.put("note", v.note());
            lines.append(RunSummary.JSON.writer().without(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(n))
                    .append('\n');
        }
        AtomicFiles.writeString(dir.resolve("grades.jsonl"), lines.toString());
        RunSummary s = summarize(name, dimensions, verdicts);
        s.write(dir.resolve("summary.json"));
        AtomicFiles.writeString(dir.resolve("report.html"), html(s, items, verdicts));
        return s;
    }

    static String html(RunSummary s, List<GradeItem> items, List<Verdict> verdicts) {
        List<BarChart.Row> headline = new ArrayList<>();
        s.metrics().forEach((k, p) -> headline.add(new BarChart.Row(k, List.of(value(p)))));
        List<BarChart.Row> dims = new ArrayList<>();
        for (var it = s.details().path("per_dimension").fields(); it.hasNext(); ) {
            var e = it.next();
            List<BarChart.Value> vals = new ArrayList<>();
            for (Grade g : Grade.values()) {
                vals.add(value(RunSummary.JSON.convertValue(e.getValue().get(g.label()), Proportion.class)));
            }
            dims.add(new BarChart.Row(e.getKey(), vals));
        }
        StringBuilder poorExamples = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < verdicts.size() && shown < 10; i++) {
            Verdict v = verdicts.get(i);
            if (v.parsed() && v.overall() == Grade.POOR) {
                poorExamples.append("[").append(items.get(i).id()).append("] ").append(v.note()).append("\n");
                shown++;
            }
        }
        return new HtmlReport("Grades: " + s.name())
                .paragraph(String.format(Locale.ROOT, "%d responses, %d graded, %d unparsed. A response is good when "
                        + "every dimension is good and poor when any dimension is poor. Whiskers are 95%% Wilson "
                        + "intervals over the graded responses.", s.details().path("items").asInt(),
                        s.details().path("parsed").asInt(), s.details().path("unparsed").asInt()))
                .chart(BarChart.svg("Overall", List.of("share"), headline))
                .chart(BarChart.svg("Per dimension", List.of("good", "neutral", "poor"), dims))
                .details("Poor responses (first 10) and why", poorExamples.isEmpty() ? "none" : poorExamples.toString())
                .render();
    }

    private static BarChart.Value value(Proportion p) {
        return new BarChart.Value(p.rate(), p.lower(), p.upper());
    }
}
