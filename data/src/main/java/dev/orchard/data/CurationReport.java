package dev.orchard.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a curation run did: documents and bytes into and out of every stage, why documents were removed, and the
 * counts stages kept (PII found, lines dropped). Written as {@code report.json} and a self-contained
 * {@code report.html} with bar charts. Every input document is either in the output or under a removal reason:
 * {@link #balanced()} checks that the counts add up.
 */
public final class CurationReport {

    /** One stage's figures. */
    public record StageFigures(String name, long docsIn, long docsOut, long bytesIn, long bytesOut,
                               Map<String, Long> rejected, String note) {
    }

    private final List<StageFigures> stages;
    private final Map<String, Long> reasons;
    private final Map<String, Long> counters;
    private final long inputDocuments;
    private final long outputDocuments;
    private final int inputFiles;
    private final long inputFileBytes;
    private final double seconds;
    private final String engine;
    private final CurationConfig config;

    CurationReport(Pipeline p, ReportBuilder b, int inputFiles, long inputFileBytes, double seconds, String engine,
                   CurationConfig config) {
        List<StageFigures> s = new ArrayList<>();
        for (int k = 0; k < b.docsIn.length; k++) {
            String name = p.stageName(k);
            Map<String, Long> rej = new TreeMap<>();
            String prefix = name + ":";
            b.reasons.forEach((r, c) -> {
                if (r.startsWith(prefix)) {
                    rej.put(r.substring(prefix.length()), c);
                }
            });
            s.add(new StageFigures(name, b.docsIn[k], b.docsOut[k], b.bytesIn[k], b.bytesOut[k],
                    Collections.unmodifiableMap(rej), p.notes.get(name)));
        }
        this.stages = List.copyOf(s);
        this.reasons = Collections.unmodifiableMap(new TreeMap<>(b.reasons));
        this.counters = Collections.unmodifiableMap(new TreeMap<>(b.counters));
        this.inputDocuments = b.documents;
        this.outputDocuments = b.kept;
        this.inputFiles = inputFiles;
        this.inputFileBytes = inputFileBytes;
        this.seconds = seconds;
        this.engine = engine;
        this.config = config;
    }

    public List<StageFigures> stages() {
        return stages;
    }

    /** Removal reasons ({@code stage:reason}) with their document counts. */
    public Map<String, Long> reasons() {
        return reasons;
    }

    /** Counts stages kept, e.g. {@code pii.email}. */
    public Map<String, Long> counters() {
        return counters;
    }

    public long inputDocuments() {
        return inputDocuments;
    }

    public long outputDocuments() {
        return outputDocuments;
    }

    public long rejectedDocuments() {
        return reasons.values().stream().mapToLong(Long::longValue).sum();
    }

    public long inputFileBytes() {
        return inputFileBytes;
    }

    public double seconds() {
        return seconds;
    }

    /** True when every input document is accounted for: in the output or under exactly one removal reason. */
    public boolean balanced() {
        if (inputDocuments != outputDocuments + rejectedDocuments()) {
            return false;
        }
        for (int k = 0; k < stages.size(); k++) {
            StageFigures f = stages.get(k);
            long removed = f.rejected().values().stream().mapToLong(Long::longValue).sum();
            if (f.docsIn() - f.docsOut() != removed) {
                return false;
            }
            if (k + 1 < stages.size() && stages.get(k + 1).docsIn() != f.docsOut()) {
                return false;
            }
        }
        return stages.getLast().docsOut() == outputDocuments;
    }

    /** The report as JSON; everything but {@code seconds} is a function of the input and config alone. */
    public String toJson() {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("engine", engine);
        ObjectNode input = root.putObject("input");
        input.put("files", inputFiles);
        input.put("file_bytes", inputFileBytes);
        input.put("documents", inputDocuments);
        ObjectNode output = root.putObject("output");
        output.put("documents", outputDocuments);
        output.put("bytes", stages.getLast().bytesOut());
        output.put("rejected_documents", rejectedDocuments());
        root.put("balanced", balanced());
        ArrayNode st = root.putArray("stages");
        for (StageFigures f : stages) {
            ObjectNode o = st.addObject();
            o.put("name", f.name());
            o.put("docs_in", f.docsIn());
            o.put("docs_out", f.docsOut());
            o.put("bytes_in", f.bytesIn());
            o.put("bytes_out", f.bytesOut());
            ObjectNode r = o.putObject("rejected");
            f.rejected().forEach(r::put);
            if (f.note() != null) {
                o.put("note", f.note());
            }
        }
        ObjectNode rs = root.putObject("reasons");
        reasons.forEach(rs::put);
        ObjectNode cs = root.putObject("counters");
        counters.forEach(cs::put);
        root.put("seconds", Math.round(seconds * 1000) / 1000.0);
        root.set("config", CurationConfig.mapper(false).valueToTree(config));
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A self-contained HTML page: summary, per-stage bar charts of documents and bytes, removal reasons. */
    public String toHtml() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Orchard curation report"
                + "</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
                + "text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}.in{fill:#9db4d6}"
                + ".out{fill:#2b5ea7}.rej{fill:#c0504d}text{font-size:11px}</style></head><body>\n");
        h.append("<h1>Orchard curation report</h1>\n");
        h.append("<p>").append(inputFiles).append(" input files (").append(human(inputFileBytes))
                .append("), ").append(inputDocuments).append(" documents in, <b>").append(outputDocuments)
                .append("</b> out, ").append(rejectedDocuments()).append(" removed. Accounting ")
                .append(balanced() ? "balanced: every input document is in the output or under a reason."
                        : "<b>NOT balanced</b>.")
                .append(" Engine: ").append(esc(engine)).append(String.format(", %.1f s.", seconds))
                .append("</p>\n");
        h.append("<h2>Documents per stage</h2>\n");
        chart(h, true);
        h.append("<h2>Bytes per stage</h2>\n");
        chart(h, false);
        h.append("<h2>Stages</h2>\n<table><tr><th class=\"l\">stage</th><th>docs in</th><th>docs out</th>"
                + "<th>bytes in</th><th>bytes out</th><th class=\"l\">removed, by reason</th></tr>\n");
        for (StageFigures f : stages) {
            h.append("<tr><td class=\"l\">").append(esc(f.name())).append("</td><td>").append(f.docsIn())
                    .append("</td><td>").append(f.docsOut()).append("</td><td>").append(human(f.bytesIn()))
                    .append("</td><td>").append(human(f.bytesOut())).append("</td><td class=\"l\">");
            List<String> parts = new ArrayList<>();
            f.rejected().forEach((r, c) -> parts.add(esc(r) + ": " + c));
            h.append(String.join(", ", parts));
            if (f.note() != null) {
                h.append(parts.isEmpty() ? "" : "<br>").append("<i>").append(esc(f.note())).append("</i>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Removal reasons</h2>\n");
        reasonChart(h);
        if (!counters.isEmpty()) {
            h.append("<h2>Counters</h2>\n<table><tr><th class=\"l\">counter</th><th>count</th></tr>\n");
            counters.forEach((k, v) -> h.append("<tr><td class=\"l\">").append(esc(k)).append("</td><td>")
                    .append(v).append("</td></tr>\n"));
            h.append("</table>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private void chart(StringBuilder h, boolean docs) {
        int rowH = 34;
        int labelW = 140;
        int barW = 700;
        int height = stages.size() * rowH + 30;
        long max = 1;
        for (StageFigures f : stages) {
            max = Math.max(max, docs ? f.docsIn() : f.bytesIn());
        }
        h.append("<svg width=\"").append(labelW + barW + 150).append("\" height=\"").append(height)
                .append("\" role=\"img\">\n");
        int y = 10;
        for (StageFigures f : stages) {
            long in = docs ? f.docsIn() : f.bytesIn();
            long out = docs ? f.docsOut() : f.bytesOut();
            int wIn = (int) Math.round((double) in / max * barW);
            int wOut = (int) Math.round((double) out / max * barW);
            h.append("<text x=\"0\" y=\"").append(y + 18).append("\">").append(esc(f.name())).append("</text>");
            h.append("<rect class=\"in\" x=\"").append(labelW).append("\" y=\"").append(y).append("\" width=\"")
                    .append(wIn).append("\" height=\"12\"><title>in: ").append(docs ? in : human(in))
                    .append("</title></rect>");
            h.append("<rect class=\"out\" x=\"").append(labelW).append("\" y=\"").append(y + 14)
                    .append("\" width=\"").append(wOut).append("\" height=\"12\"><title>out: ")
                    .append(docs ? out : human(out)).append("</title></rect>");
            h.append("<text x=\"").append(labelW + Math.max(wIn, wOut) + 6).append("\" y=\"").append(y + 18)
                    .append("\">").append(docs ? in + " → " + out : human(in) + " → " + human(out))
                    .append("</text>\n");
            y += rowH;
        }
        h.append("<rect class=\"in\" x=\"").append(labelW).append("\" y=\"").append(y).append("\" width=\"10\" "
                + "height=\"10\"/><text x=\"").append(labelW + 14).append("\" y=\"").append(y + 9)
                .append("\">in</text><rect class=\"out\" x=\"").append(labelW + 40).append("\" y=\"").append(y)
                .append("\" width=\"10\" height=\"10\"/><text x=\"").append(labelW + 54).append("\" y=\"")
                .append(y + 9).append("\">out</text>\n</svg>\n");
    }

    private void reasonChart(StringBuilder h) {
        if (reasons.isEmpty()) {
            h.append("<p>No document was removed.</p>\n");
            return;
        }
        long max = reasons.values().stream().mapToLong(Long::longValue).max().orElse(1);
        Map<String, Long> sorted = new LinkedHashMap<>();
        reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        int rowH = 18;
        h.append("<svg width=\"1000\" height=\"").append(sorted.size() * rowH + 10).append("\" role=\"img\">\n");
        int y = 4;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            int w = (int) Math.max(1, Math.round((double) e.getValue() / max * 600));
            h.append("<text x=\"0\" y=\"").append(y + 11).append("\">").append(esc(e.getKey())).append("</text>")
                    .append("<rect class=\"rej\" x=\"300\" y=\"").append(y).append("\" width=\"").append(w)
                    .append("\" height=\"13\"/><text x=\"").append(306 + w).append("\" y=\"").append(y + 11)
                    .append("\">").append(e.getValue()).append("</text>\n");
            y += rowH;
        }
        h.append("</svg>\n");
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
