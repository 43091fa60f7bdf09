package dev.orchard.eval.ifeval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
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
 * Writes an IFEval run: {@code eval_results_strict.jsonl} and {@code eval_results_loose.jsonl} as the reference
 * writes them, {@code summary.json} (the four metrics with 95% intervals, per instruction and per category) and
 * {@code report.html}.
 */
public final class IfEvalReport {

    public static final String PROMPT_STRICT = "prompt_level_strict";
    public static final String INSTRUCTION_STRICT = "instruction_level_strict";
    public static final String PROMPT_LOOSE = "prompt_level_loose";
    public static final String INSTRUCTION_LOOSE = "instruction_level_loose";

    private IfEvalReport() {
    }

    /** The four metrics and the per-instruction and per-category breakdowns. */
    public static RunSummary summarize(String name, List<PromptResult> strict, List<PromptResult> loose) {
        Map<String, Proportion> metrics = new LinkedHashMap<>();
        metrics.put(PROMPT_STRICT, promptLevel(strict));
        metrics.put(INSTRUCTION_STRICT, instructionLevel(strict));
        metrics.put(PROMPT_LOOSE, promptLevel(loose));
        metrics.put(INSTRUCTION_LOOSE, instructionLevel(loose));
        ObjectNode details = RunSummary.JSON.createObjectNode();
        details.put("prompts", strict.size());
        details.put("instructions", metrics.get(INSTRUCTION_STRICT).total());
        details.set("per_instruction", breakdown(strict, loose, false));
        details.set("per_category", breakdown(strict, loose, true));
        return new RunSummary("ifeval", name, metrics, details);
    }

    private static Proportion promptLevel(List<PromptResult> results) {
        int ok = 0;
        for (PromptResult r : results) {
            ok += r.followAllInstructions() ? 1 : 0;
        }
        return Proportion.of(ok, results.size());
    }

    private static Proportion instructionLevel(List<PromptResult> results) {
        int ok = 0;
        int total = 0;
        for (PromptResult r : results) {
            for (boolean b : r.followInstructionList()) {
                ok += b ? 1 : 0;
                total++;
            }
        }
        return Proportion.of(ok, total);
    }

    /** Per instruction id (the reference's tier 1) or per category, the part before ':' (tier 0). */
    private static ObjectNode breakdown(List<PromptResult> strict, List<PromptResult> loose, boolean byCategory) {
        Map<String, int[]> counts = new TreeMap<>(); // key -> strict ok, loose ok, total
        for (int p = 0; p < strict.size(); p++) {
            PromptResult s = strict.get(p);
            PromptResult l = loose.get(p);
            for (int i = 0; i < s.instructionIds().size(); i++) {
                String id = s.instructionIds().get(i);
                String key = byCategory ? id.substring(0, Math.max(0, id.indexOf(':'))) : id;
                int[] c = counts.computeIfAbsent(key, k -> new int[3]);
                c[0] += s.followInstructionList().get(i) ? 1 : 0;
                c[1] += l.followInstructionList().get(i) ? 1 : 0;
                c[2]++;
            }
        }
        ObjectNode out = RunSummary.JSON.createObjectNode();
        counts.forEach((k, c) -> {
            ObjectNode n = out.putObject(k);
            n.set("strict", RunSummary.JSON.valueToTree(Proportion.of(c[0], c[2])));
            n.set("loose", RunSummary.JSON.valueToTree(Proportion.of(c[1], c[2])));
        });
        return out;
    }

    /** Writes the result files, the summary and the HTML report into {@code dir}; returns the summary. */
    public static RunSummary write(Path dir, String name, List<PromptResult> strict, List<PromptResult> loose)
            throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("eval_results_strict.jsonl"), jsonl(strict));
        AtomicFiles.writeString(dir.resolve("eval_results_loose.jsonl"), jsonl(loose));
        RunSummary summary = summarize(name, strict, loose);
        summary.write(dir.resolve("summary.json"));
        AtomicFiles.writeString(dir.resolve("report.html"), html(summary));
        return summary;
    }

    private static String jsonl(List<PromptResult> results) {
        StringBuilder b = new StringBuilder();
        for (PromptResult r : results) {
            b.append(r.toReferenceJson()).append('\n');
        }
        return b.toString();
    }

    static String html(RunSummary s) {
        Map<String, Proportion> m = s.metrics();
        List<String> series = List.of("strict", "loose");
        List<BarChart.Row> headline = List.of(
                new BarChart.Row("prompt level", List.of(value(m.get(PROMPT_STRICT)), value(m.get(PROMPT_LOOSE)))),
                new BarChart.Row("instruction level",
                        List.of(value(m.get(INSTRUCTION_STRICT)), value(m.get(INSTRUCTION_LOOSE)))));
        HtmlReport r = new HtmlReport("IFEval: " + s.name())
                .paragraph(s.details().path("prompts").asInt() + " prompts, " + s.details().path("instructions").asInt()
                        + " instructions. Strict reads the response as given; loose also accepts it without its "
                        + "first or last line or without asterisks, as Google's reference does. Whiskers are 95% "
                        + "Wilson intervals.")
                .chart(BarChart.svg("Accuracy", series, headline))
                .chart(BarChart.svg("By category", series, rows(s.details().path("per_category"))))
                .chart(BarChart.svg("By instruction", series, rows(s.details().path("per_instruction"))));
        List<List<String>> table = new ArrayList<>();
        for (var it = s.details().path("per_instruction").fields(); it.hasNext(); ) {
            var e = it.next();
            Proportion st = RunSummary.JSON.convertValue(e.getValue().get("strict"), Proportion.class);
            Proportion lo = RunSummary.JSON.convertValue(e.getValue().get("loose"), Proportion.class);
            table.add(List.of(e.getKey(), Integer.toString(st.total()), pct(st), pct(lo)));
        }
        List<List<String>> headlineTable = new ArrayList<>();
        m.forEach((k, p) -> headlineTable.add(List.of(k, p.successes() + "/" + p.total(), pct(p))));
        return r.heading("Metrics").table(List.of("metric", "followed", "accuracy [95% CI]"), headlineTable)
                .heading("Per instruction").table(List.of("instruction", "count", "strict", "loose"), table)
                .render();
    }

    private static List<BarChart.Row> rows(com.fasterxml.jackson.databind.JsonNode byKey) {
        List<BarChart.Row> rows = new ArrayList<>();
        for (var it = byKey.fields(); it.hasNext(); ) {
            var e = it.next();
            rows.add(new BarChart.Row(e.getKey(), List.of(
                    value(RunSummary.JSON.convertValue(e.getValue().get("strict"), Proportion.class)),
                    value(RunSummary.JSON.convertValue(e.getValue().get("loose"), Proportion.class)))));
        }
        return rows;
    }

    private static BarChart.Value value(Proportion p) {
        return new BarChart.Value(p.rate(), p.lower(), p.upper());
    }

    private static String pct(Proportion p) {
        return String.format(Locale.ROOT, "%.2f%% [%.1f, %.1f]", 100 * p.rate(), 100 * p.lower(), 100 * p.upper());
    }
}
