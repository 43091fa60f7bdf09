package dev.orchard.eval.constraints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.format.JsonLines;
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
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/**
 * {@code orchard eval constraints}: scores stories against the constraints their prompts carry. Prompt-level
 * satisfaction is the share of prompts whose every constraint holds; constraint-level the share of constraints
 * that hold; both overall and per family (a prompt counts for each family it has), each with a 95% Wilson
 * interval. Prompt lines without constraints are answered but not scored.
 */
public final class ConstraintEval {

    /** A prompt line: its id, text, constraints (possibly none) and the whole line (other fields are kept). */
    public record Prompt(String id, String prompt, List<Constraint> constraints, ObjectNode line) {
    }

    /** One scored response. */
    public record Scored(Prompt prompt, String response, List<Boolean> satisfied) {
        public boolean all() {
            return !satisfied.contains(Boolean.FALSE);
        }
    }

    public static final String PROMPT_LEVEL = "prompt_level";
    public static final String CONSTRAINT_LEVEL = "constraint_level";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConstraintEval() {
    }

    /** Reads a prompt file: {@code prompt} per line, optionally {@code id} and {@code constraints}. */
    public static List<Prompt> readPrompts(Path file) throws IOException {
        List<Prompt> out = new ArrayList<>();
        JsonLines.forEach(file, (lineNo, n) -> {
            String where = file + ":" + lineNo;
            if (n == null || !n.isObject() || !n.path("prompt").isTextual()) {
                throw new IllegalArgumentException(where + ": needs a string field 'prompt'");
            }
            List<Constraint> cs = new ArrayList<>();
            JsonNode c = n.get("constraints");
            if (c != null && !c.isNull()) {
                if (!c.isArray()) {
                    throw new IllegalArgumentException(where + ": 'constraints' must be an array");
                }
                for (JsonNode x : c) {
                    cs.add(Constraint.fromJson(x, where));
                }
            }
            String id = n.hasNonNull("id") ? n.get("id").asText() : Integer.toString(lineNo);
            out.add(new Prompt(id, n.get("prompt").asText(), cs, (ObjectNode) n));
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no prompts");
        }
        return out;
    }

    /**
     * Reads responses ({@code prompt}, {@code response}, optionally {@code id}) and pairs them with the prompts:
     * by id when the response line has one that names a prompt, else by prompt text. A prompt left without a
     * response is an error listing (up to five of) them.
     */
    public static List<String> readResponses(Path file, List<Prompt> prompts) throws IOException {
        Map<String, String> byId = new HashMap<>();
        Map<String, String> byText = new HashMap<>();
        JsonLines.forEach(file, (lineNo, n) -> {
            if (n == null || !n.isObject() || !n.path("response").isTextual()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": needs a string field 'response'");
            }
            if (n.hasNonNull("id")) {
                byId.put(n.get("id").asText(), n.get("response").asText());
            }
            if (n.path("prompt").isTextual()) {
                byText.put(n.get("prompt").asText(), n.get("response").asText());
            }
        });
        List<String> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Prompt p : prompts) {
            String r = byId.containsKey(p.id()) ? byId.get(p.id()) : byText.get(p.prompt());
            if (r == null) {
                missing.add(p.id());
            }
            out.add(r);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(file + " has no response for " + missing.size() + " prompt(s), e.g. "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
        }
        return out;
    }

    /** Answers every prompt with {@code responder}, in order. */
    public static List<String> respond(List<Prompt> prompts, UnaryOperator<String> responder, IntConsumer progress) {
        List<String> out = new ArrayList<>();
        for (Prompt p : prompts) {
            out.add(responder.apply(p.prompt()));
            if (progress != null) {
                progress.accept(out.size());
            }
        }
        return out;
    }

    /** Writes {@code responses.jsonl}: each prompt line with its {@code response} added. */
    public static void writeResponses(Path file, List<Prompt> prompts, List<String> responses) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < prompts.size(); i++) {
            ObjectNode n = prompts.get(i).line().deepCopy();
            n.put("id", prompts.get(i).id());
            n.put("response", responses.get(i));
            b.append(JSON.writeValueAsString(n)).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /** Checks each response against its prompt's constraints (prompts without constraints are left out). */
    public static List<Scored> score(List<Prompt> prompts, List<String> responses) {
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Prompt p = prompts.get(i);
            if (!p.constraints().isEmpty()) {
                out.add(new Scored(p, responses.get(i), ConstraintChecker.check(responses.get(i), p.constraints())));
            }
        }
        return out;
    }

    /** Overall and per-family prompt- and constraint-level satisfaction. */
    public static RunSummary summarize(String name, List<Scored> scored) {
        Map<String, Proportion> metrics = new LinkedHashMap<>();
        int promptsOk = 0;
        int cOk = 0;
        int cTotal = 0;
        Map<Family, int[]> fam = new LinkedHashMap<>(); // prompts ok, prompts, constraints ok, constraints
        for (Family f : Family.values()) {
            fam.put(f, new int[4]);
        }
        for (Scored s : scored) {
            promptsOk += s.all() ? 1 : 0;
            Map<Family, Boolean> familyAll = new LinkedHashMap<>();
            for (int i = 0; i < s.satisfied().size(); i++) {
                Family f = s.prompt().constraints().get(i).family();
                boolean ok = s.satisfied().get(i);
                cOk += ok ? 1 : 0;
                cTotal++;
                int[] c = fam.get(f);
                c[2] += ok ? 1 : 0;
                c[3]++;
                familyAll.merge(f, ok, Boolean::logicalAnd);
            }
            familyAll.forEach((f, ok) -> {
                int[] c = fam.get(f);
                c[0] += ok ? 1 : 0;
                c[1]++;
            });
        }
        metrics.put(PROMPT_LEVEL, Proportion.of(promptsOk, scored.size()));
        metrics.put(CONSTRAINT_LEVEL, Proportion.of(cOk, cTotal));
        ObjectNode details = RunSummary.JSON.createObjectNode();
        details.put("prompts", scored.size());
        details.put("constraints", cTotal);
        ObjectNode per = details.putObject("per_family");
        fam.forEach((f, c) -> {
            if (c[3] > 0) {
                metrics.put(f.id(), Proportion.of(c[2], c[3]));
                ObjectNode n = per.putObject(f.id());
                n.set("prompt_level", RunSummary.JSON.valueToTree(Proportion.of(c[0], c[1])));
                n.set("constraint_level", RunSummary.JSON.valueToTree(Proportion.of(c[2], c[3])));
            }
        });
        int words = 0;
        for (Scored s : scored) {
            words += ConstraintChecker.wordCount(s.response() == null ? "" : s.response());
        }
        details.put("mean_words", scored.isEmpty() ? 0 : (double) words / scored.size());
        return new RunSummary("constraints", name, metrics, details);
    }

    /** Writes {@code results.jsonl}, {@code summary.json} and {@code report.html} into {@code dir}. */
    public static RunSummary write(Path dir, String name, List<Scored> scored) throws IOException {
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder();
        for (Scored s : scored) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", s.prompt().id());
            n.put("prompt", s.prompt().prompt());
            n.put("response", s.response());
            ArrayNode cs = n.putArray("constraints");
            for (int i = 0; i < s.satisfied().size(); i++) {
                ObjectNode c = s.prompt().constraints().get(i).toJson();
                c.put("satisfied", s.satisfied().get(i));
                cs.add(c);
            }
            n.put("all_satisfied", s.all());
            b.append(JSON.writeValueAsString(n)).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("results.jsonl"), b.toString());
        RunSummary summary = summarize(name, scored);
        summary.write(dir.resolve("summary.json"));
        AtomicFiles.writeString(dir.resolve("report.html"), html(summary, scored));
        return summary;
    }

    static String html(RunSummary s, List<Scored> scored) {
        HtmlReport r = new HtmlReport("Constraint satisfaction: " + s.name());
        r.paragraph(String.format(Locale.ROOT, "%d prompts, %d constraints. Bars are 95%% Wilson intervals.",
                s.details().path("prompts").asInt(), s.details().path("constraints").asInt()));
        List<BarChart.Row> rows = new ArrayList<>();
        rows.add(new BarChart.Row("all families", List.of(value(s.metrics().get(PROMPT_LEVEL)),
                value(s.metrics().get(CONSTRAINT_LEVEL)))));
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("all", cell(s.metrics().get(PROMPT_LEVEL)), cell(s.metrics().get(CONSTRAINT_LEVEL))));
        JsonNode per = s.details().path("per_family");
        for (var it = per.fields(); it.hasNext(); ) {
            var e = it.next();
            Proportion pl = RunSummary.JSON.convertValue(e.getValue().get("prompt_level"), Proportion.class);
            Proportion cl = RunSummary.JSON.convertValue(e.getValue().get("constraint_level"), Proportion.class);
            rows.add(new BarChart.Row(e.getKey(), List.of(value(pl), value(cl))));
            table.add(List.of(e.getKey(), cell(pl), cell(cl)));
        }
        r.chart(BarChart.svg("Satisfaction", List.of("prompt level", "constraint level"), rows));
        r.table(List.of("family", "prompt level", "constraint level"), table);
        StringBuilder fails = new StringBuilder();
        int shown = 0;
        for (Scored x : scored) {
            if (!x.all() && shown++ < 20) {
                fails.append("PROMPT: ").append(x.prompt().prompt()).append("\nRESPONSE: ").append(x.response())
                        .append("\nSATISFIED: ").append(x.satisfied()).append("\n\n");
            }
        }
        if (shown > 0) {
            r.details("First failing responses", fails.toString());
        }
        return r.render();
    }

    private static BarChart.Value value(Proportion p) {
        return new BarChart.Value(p.rate(), p.lower(), p.upper());
    }

    private static String cell(Proportion p) {
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f] (%d/%d)", 100 * p.rate(), 100 * p.lower(),
                100 * p.upper(), p.successes(), p.total());
    }
}
