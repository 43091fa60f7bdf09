package dev.orchard.eval.report;

import dev.orchard.eval.Proportion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code orchard eval report}: several runs' summaries side by side, one bar per run for every metric. */
public final class ReportMerger {

    private ReportMerger() {
    }

    public static String html(String title, List<RunSummary> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to compare");
        }
        List<String> names = runs.stream().map(RunSummary::name).toList();
        Set<String> metrics = new LinkedHashSet<>();
        for (RunSummary r : runs) {
            metrics.addAll(r.metrics().keySet());
        }
        List<BarChart.Row> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (String metric : metrics) {
            List<BarChart.Value> values = new ArrayList<>();
            for (RunSummary r : runs) {
                Proportion p = r.metrics().get(metric);
                values.add(p == null ? null : new BarChart.Value(p.rate(), p.lower(), p.upper()));
                if (p != null) {
                    table.add(List.of(metric, r.name(), r.kind(), p.successes() + "/" + p.total(),
                            String.format(Locale.ROOT, "%.2f%% [%.2f, %.2f]", 100 * p.rate(), 100 * p.lower(),
                                    100 * p.upper())));
                }
            }
            rows.add(new BarChart.Row(metric, values));
        }
        return new HtmlReport(title)
                .paragraph("Runs: " + String.join(", ", names) + ". Bars show rates; whiskers are 95% Wilson intervals. "
                        + "Overlapping whiskers mean the runs are not clearly different on that metric.")
                .chart(BarChart.svg("All metrics", names, rows))
                .heading("Numbers")
                .table(List.of("metric", "run", "kind", "count", "rate [95% CI]"), table)
                .render();
    }
}
