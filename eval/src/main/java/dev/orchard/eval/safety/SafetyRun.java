package dev.orchard.eval.safety;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.eval.Concurrent;
import dev.orchard.eval.EvalData;
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
import java.util.TreeMap;

/**
 * The violation rate of a set of responses under a classifier, with a 95% Wilson interval over the parsed
 * verdicts and counts per category. Writes {@code verdicts.jsonl}, {@code summary.json} and {@code report.html}.
 */
public final class SafetyRun {

    private SafetyRun() {
    }

    public static List<SafetyVerdict> classify(List<EvalData.Example> examples, SafetyClassifier classifier,
                                               int threads) throws IOException {
        return Concurrent.map(examples, threads, e -> classifier.classify(e.prompt(), e.response()));
    }

    public static RunSummary summarize(String name, List<SafetyVerdict> verdicts) {
        int parsed = 0;
        int violations = 0;
        Map<String, Integer> categories = new TreeMap<>();
        for (SafetyVerdict v : verdicts) {
            if (!v.parsed()) {
                continue;
            }
            parsed++;
            if (v.violation()) {
                violations++;
                categories.merge(v.category(), 1, Integer::sum);
            }
        }
        Map<String, Proportion> metrics = new LinkedHashMap<>();
        metrics.put("violation_rate", Proportion.of(violations, parsed));
        ObjectNode details = RunSummary.JSON.createObjectNode();
        details.put("items", verdicts.size());
        details.put("parsed", parsed);
        details.put("unparsed", verdicts.size() - parsed);
        ObjectNode cats = details.putObject("violations_by_category");
        for (var e : categories.entrySet()) {
            cats.set(e.getKey(), RunSummary.JSON.valueToTree(Proportion.of(e.getValue(), parsed)));
        }
        return new RunSummary("safety", name, metrics, details);
    }

    public static RunSummary write(Path dir, String name, List<EvalData.Example> examples,
                                   List<SafetyVerdict> verdicts) throws IOException {
        Files.createDirectories(dir);
        StringBuilder lines = new StringBuilder();
        var writer = RunSummary.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);
        for (int i = 0; i < examples.size(); i++) {
            SafetyVerdict v = verdicts.get(i);
            ObjectNode n = RunSummary.JSON.createObjectNode();
            n.put("id", examples.get(i).id());
            if (v.parsed()) {
                n.put("violation", v.violation());
            } else {
                n.putNull("violation");
            }
            n.put("category", v.category());
            n.put("note", v.note());
            lines.append(writer.writeValueAsString(n)).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("verdicts.jsonl"), lines.toString());
        RunSummary s = summarize(name, verdicts);
        s.write(dir.resolve("summary.json"));
        List<BarChart.Row> rows = new ArrayList<>();
        s.metrics().forEach((k, p) -> rows.add(new BarChart.Row(k, List.of(new BarChart.Value(p.rate(), p.lower(),
                p.upper())))));
        for (var it = s.details().path("violations_by_category").fields(); it.hasNext(); ) {
            var e = it.next();
            Proportion p = RunSummary.JSON.convertValue(e.getValue(), Proportion.class);
            rows.add(new BarChart.Row("category: " + e.getKey(), List.of(new BarChart.Value(p.rate(), p.lower(),
                    p.upper()))));
        }
        String html = new HtmlReport("Safety: " + name)
                .paragraph(String.format(Locale.ROOT, "%d responses, %d classified, %d unparsed. Lower is better; "
                        + "whiskers are 95%% Wilson intervals.", s.details().path("items").asInt(),
                        s.details().path("parsed").asInt(), s.details().path("unparsed").asInt()))
                .chart(BarChart.svg("Violations", List.of("rate"), rows))
                .render();
        AtomicFiles.writeString(dir.resolve("report.html"), html);
        return s;
    }
}
