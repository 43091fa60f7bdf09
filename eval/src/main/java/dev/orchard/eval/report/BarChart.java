package dev.orchard.eval.report;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal grouped bar chart with error bars, as inline SVG: one row per category, one bar per series, each
 * bar drawn from 0 to its value with a whisker from the lower to the upper end of its interval. Values are
 * fractions shown as percentages unless a different axis maximum and unit are given.
 */
public final class BarChart {

    /** A value with its interval; the interval may equal the value when there is none. */
    public record Value(double value, double lower, double upper) {
        public static Value of(double v) {
            return new Value(v, v, v);
        }
    }

    /** One category: a label and a value per series (null where a series has none). */
    public record Row(String label, List<Value> values) {
    }

    private static final String[] PALETTE = {"#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7",
            "#a463f2", "#97bbf5"};
    private static final int LABEL_WIDTH = 260;
    private static final int PLOT_WIDTH = 420;
    private static final int BAR_HEIGHT = 14;
    private static final int ROW_GAP = 10;

    private BarChart() {
    }

    /** A chart of fractions in [0, 1], labelled as percentages. */
    public static String svg(String title, List<String> series, List<Row> rows) {
        return svg(title, series, rows, 1.0, true);
    }

    /**
     * @param max     the value at the right end of the axis
     * @param percent whether to label values as percentages of 1
     */
    public static String svg(String title, List<String> series, List<Row> rows, double max, boolean percent) {
        int groupHeight = series.size() * BAR_HEIGHT + ROW_GAP;
        int legendHeight = series.size() > 1 ? 22 : 0;
        int top = 28 + legendHeight;
        int height = top + rows.size() * groupHeight + 30;
        int width = LABEL_WIDTH + PLOT_WIDTH + 90;
        double scale = max > 0 ? PLOT_WIDTH / max : 0;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", width, height, width, height, esc(title)));
        b.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"14\">%s</text>",
                esc(title)));
        if (series.size() > 1) {
            int x = LABEL_WIDTH;
            for (int s = 0; s < series.size(); s++) {
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"26\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"37\" font-size=\"12\">%s</text>", x, color(s), x + 16, esc(series.get(s))));
                x += 30 + 7 * series.get(s).length();
            }
        }
        // Grid lines at quarters of the axis.
        for (int q = 0; q <= 4; q++) {
            double v = max * q / 4;
            int x = LABEL_WIDTH + (int) Math.round(v * scale);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#666\">%s</text>",
                    x, top - 4, x, height - 24, x, height - 10, esc(format(v, percent))));
        }
        int y = top;
        for (Row row : rows) {
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>",
                    LABEL_WIDTH - 8, y + groupHeight / 2, esc(row.label())));
            for (int s = 0; s < series.size() && s < row.values().size(); s++) {
                Value v = row.values().get(s);
                int by = y + s * BAR_HEIGHT;
                if (v == null) {
                    continue;
                }
                int w = (int) Math.round(clamp(v.value(), max) * scale);
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s: %s (%s to %s)</title></rect>", LABEL_WIDTH, by + 1, w, BAR_HEIGHT - 2, color(s),
                        esc(series.get(s)), format(v.value(), percent), format(v.lower(), percent),
                        format(v.upper(), percent)));
                int lo = LABEL_WIDTH + (int) Math.round(clamp(v.lower(), max) * scale);
                int hi = LABEL_WIDTH + (int) Math.round(clamp(v.upper(), max) * scale);
                int mid = by + BAR_HEIGHT / 2;
                if (hi > lo) {
                    b.append(String.format(Locale.ROOT, "<path d=\"M%d %dH%dM%d %dV%dM%d %dV%d\" stroke=\"#222\" "
                            + "stroke-width=\"1.2\" fill=\"none\"/>", lo, mid, hi, lo, mid - 4, mid + 4, hi, mid - 4,
                            mid + 4));
                }
                b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                        Math.max(hi, LABEL_WIDTH + w) + 6, by + BAR_HEIGHT - 3, esc(format(v.value(), percent))));
            }
            y += groupHeight;
        }
        return b.append("</svg>").toString();
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }

    private static String color(int s) {
        return PALETTE[s % PALETTE.length];
    }

    static String format(double v, boolean percent) {
        return percent ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return HtmlReport.escape(s);
    }
}
