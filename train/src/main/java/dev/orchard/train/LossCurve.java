package dev.orchard.train;

import dev.orchard.core.format.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Draws training and held-out loss against steps as a self-contained HTML page with an inline SVG chart. */
final class LossCurve {

    /** One point: step and loss. */
    record Point(double step, double loss) {
    }

    private LossCurve() {
    }

    static void write(Path file, String title, List<Point> train, List<Point> valid) throws IOException {
        AtomicFiles.writeString(file, html(title, train, valid));
    }

    static String html(String title, List<Point> train, List<Point> valid) {
        int w = 800;
        int h = 420;
        int left = 60;
        int right = 20;
        int top = 30;
        int bottom = 50;
        double maxStep = 1;
        double minLoss = Double.POSITIVE_INFINITY;
        double maxLoss = Double.NEGATIVE_INFINITY;
        for (List<Point> series : List.of(train, valid)) {
            for (Point p : series) {
                maxStep = Math.max(maxStep, p.step());
                minLoss = Math.min(minLoss, p.loss());
                maxLoss = Math.max(maxLoss, p.loss());
            }
        }
        if (!Double.isFinite(minLoss)) {
            minLoss = 0;
            maxLoss = 1;
        }
        if (maxLoss - minLoss < 1e-9) {
            maxLoss = minLoss + 1;
        }
        double lo = Math.floor(minLoss * 10) / 10;
        double hi = Math.ceil(maxLoss * 10) / 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif' font-size='12'>%n", w, h));
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>%n",
                left, top, w - left - right, h - top - bottom));
        for (int i = 0; i <= 5; i++) {
            double loss = lo + (hi - lo) * i / 5;
            double y = top + (h - top - bottom) * (1 - (loss - lo) / (hi - lo));
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>"
                    + "<text x='%d' y='%.1f' text-anchor='end'>%.2f</text>%n", left, y, w - right, y, left - 5, y + 4, loss));
            double step = maxStep * i / 5;
            double x = left + (w - left - right) * (double) i / 5;
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%.0f</text>%n",
                    x, h - bottom + 18, step));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>step</text>%n",
                (w + left - right) / 2, h - 10));
        svg.append(String.format(Locale.ROOT, "<text x='15' y='%d' transform='rotate(-90 15 %d)' text-anchor='middle'>"
                + "loss (nats/token)</text>%n", (h + top - bottom) / 2, (h + top - bottom) / 2));
        svg.append(series(train, "#1f77b4", maxStep, lo, hi, left, right, top, bottom, w, h, false));
        svg.append(series(valid, "#d62728", maxStep, lo, hi, left, right, top, bottom, w, h, true));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='20' fill='#1f77b4'>train</text>"
                + "<text x='%d' y='20' fill='#d62728'>held-out</text>%n", left, left + 60));
        svg.append("</svg>");
        return "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" + escape(title) + "</title></head>\n<body>\n<h3>"
                + escape(title) + "</h3>\n" + svg + "\n</body></html>\n";
    }

    private static String series(List<Point> points, String color, double maxStep, double lo, double hi, int left,
                                 int right, int top, int bottom, int w, int h, boolean dots) {
        if (points.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        StringBuilder path = new StringBuilder();
        for (Point p : points) {
            double x = left + (w - left - right) * p.step() / maxStep;
            double y = top + (h - top - bottom) * (1 - (p.loss() - lo) / (hi - lo));
            path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            if (dots) {
                s.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>%n", x, y, color));
            }
        }
        s.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='1.5' points='%s'/>%n",
                color, path.toString().trim()));
        return s.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
