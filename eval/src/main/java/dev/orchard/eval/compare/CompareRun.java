package dev.orchard.eval.compare;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Side-by-side comparison of model A and model B: every prompt is judged twice, A shown first and then B shown
 * first, so a judge's position bias cancels. A's score per order is 1 (preferred), 0.5 (tie) or 0; the mean of the
 * two orders above one half is a win for A, below a loss, exactly one half a tie. A prompt whose verdict cannot be
 * read in either order is unparsed. Reports win, tie and loss rates with 95% Wilson intervals, and how often the
 * judge picked whichever response it saw first (its position bias).
 */
public final class CompareRun {

    /** The outcome for one prompt. */
    public record Outcome(String id, Preference aFirst, Preference bFirst, String result) {
    }

    private CompareRun() {
    }

    /** Pairs responses by prompt id (or, failing that, prompt text); every prompt of {@code a} needs one in {@code b}. */
    public static List<EvalData.Example[]> pair(List<EvalData.Example> a, List<EvalData.Example> b) {
        Map<String, EvalData.Example> byId = new HashMap<>();
        Map<String, EvalData.Example> byPrompt = new HashMap<>();
        for (EvalData.Example e : b) {
            byId.put(e.id(), e);
            byPrompt.put(e.prompt(), e);
        }
        List<EvalData.Example[]> pairs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (EvalData.Example e : a) {
            EvalData.Example other = byPrompt.get(e.prompt());
            if (other == null) {
                other = byId.get(e.id());
            }
            if (other == null || !other.prompt().equals(e.prompt())) {
                missing.add(e.id());
            } else {
                pairs.add(new EvalData.Example[] {e, other});
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no response from model B for prompts " + missing.subList(0,
                    Math.min(10, missing.size())) + (missing.size() > 10 ? " and " + (missing.size() - 10) + " more"
                    : ""));
        }
        return pairs;
    }

    public static List<Outcome> judge(List<EvalData.Example[]> pairs, PairwiseJudge judge, int threads)
            throws IOException {
        return Concurrent.map(pairs, threads, p -> {
            EvalData.Example a = p[0];
            EvalData.Example b = p[1];
            String source = a.source() != null ? a.source() : b.source();
            Optional<Preference> ab = judge.prefer(a.prompt(), source, a.response(), b.response());
            Optional<Preference> ba = judge.prefer(a.prompt(), source, b.response(), a.response());
            if (ab.isEmpty() || ba.isEmpty()) {
                return new Outcome(a.id(), ab.orElse(null), ba.orElse(null), "unparsed");
            }
            double scoreA = (ab.get().firstScore() + (1 - ba.get().firstScore())) / 2;
            String result = scoreA > 0.5 ? "win" : scoreA < 0.5 ? "loss" : "tie";
            return new Outcome(a.id(), ab.get(), ba.get(), result);
        });
    }

    public static RunSummary summarize(String name, List<Outcome> outcomes) {
        Map<String, Integer> counts = new HashMap<>();
        int parsed = 0;
        int firstPicked = 0;
        int decisive = 0;
        for (Outcome o : outcomes) {
            counts.merge(o.result(), 1, Integer::sum);
            if (!o.result().equals("unparsed")) {
                parsed++;
                for (Preference p : new Preference[] {o.aFirst(), o.bFirst()}) {
                    if (p != Preference.TIE) {
                        decisive++;
                        firstPicked += p == Preference.FIRST ? 1 : 0;
                    }
                }
            }
        }
        Map<String, Proportion> metrics = new LinkedHashMap<>();
        for (String r : List.of("win", "tie", "loss")) {
            metrics.put(r, Proportion.of(counts.getOrDefault(r, 0), parsed));
        }
        ObjectNode details = RunSummary.JSON.createObjectNode();
        details.put("prompts", outcomes.size());
        details.put("parsed", parsed);
        details.put("unparsed", counts.getOrDefault("unparsed", 0));
        details.set("judge_picked_first_position", RunSummary.JSON.valueToTree(Proportion.of(firstPicked, decisive)));
        return new RunSummary("compare", name, metrics, details);
    }

    public static RunSummary write(Path dir, String name, String modelA, String modelB, List<Outcome> outcomes)
            throws IOException {
        Files.createDirectories(dir);
        var writer = RunSummary.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);
        StringBuilder lines = new StringBuilder();
        for (Outcome o : outcomes) {
            ObjectNode n = RunSummary.JSON.createObjectNode();
            n.put("id", o.id());
            n.put("a_shown_first", o.aFirst() == null ? null : o.aFirst().name().toLowerCase(Locale.ROOT));
            n.put("b_shown_first", o.bFirst() == null ? null : o.bFirst().name().toLowerCase(Locale.ROOT));
            n.put("result_for_a", o.result());
            lines.append(writer.writeValueAsString(n)).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("comparisons.jsonl"), lines.toString());
        RunSummary s = summarize(name, outcomes);
        ((ObjectNode) s.details()).put("model_a", modelA);
        ((ObjectNode) s.details()).put("model_b", modelB);
        s.write(dir.resolve("summary.json"));
        List<BarChart.Row> rows = new ArrayList<>();
        s.metrics().forEach((k, p) -> rows.add(new BarChart.Row(k + " (A vs B)",
                List.of(new BarChart.Value(p.rate(), p.lower(), p.upper())))));
        Proportion bias = RunSummary.JSON.convertValue(s.details().get("judge_picked_first_position"),
                Proportion.class);
        rows.add(new BarChart.Row("judge picked position 1", List.of(new BarChart.Value(bias.rate(), bias.lower(),
                bias.upper()))));
        String html = new HtmlReport("Side by side: " + modelA + " vs " + modelB)
                .paragraph(String.format(Locale.ROOT, "%d prompts, %d judged in both orders, %d unparsed. Win means "
                        + "the judge preferred A (%s) over B (%s) after averaging both presentation orders. A fair "
                        + "judge picks position 1 about half the time.", s.details().path("prompts").asInt(),
                        s.details().path("parsed").asInt(), s.details().path("unparsed").asInt(), modelA, modelB))
                .chart(BarChart.svg("Outcomes for A", List.of("rate"), rows))
                .render();
        AtomicFiles.writeString(dir.resolve("report.html"), html);
        return s;
    }
}
