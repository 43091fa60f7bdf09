package dev.orchard.cli;

import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn at most ten times a second; a new phase starts a new line. */
final class ProgressBar {

    private final PrintWriter out;
    private String phase;
    private long lastDraw;
    private long lastDone = -1;

    ProgressBar(PrintWriter out) {
        this.out = out;
    }

    synchronized void update(String phase, long done, long total, String unit, double scale) {
        long now = System.nanoTime();
        boolean newPhase = !phase.equals(this.phase);
        if (!newPhase && (done == lastDone || (done < total && now - lastDraw < 100_000_000L))) {
            return;
        }
        lastDone = done;
        if (newPhase && this.phase != null) {
            out.println();
        }
        this.phase = phase;
        lastDraw = now;
        int width = 30;
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int filled = (int) Math.round(fraction * width);
        out.printf("\r%-9s [%s%s] %3d%% %s", phase, "#".repeat(filled), ".".repeat(width - filled),
                Math.round(fraction * 100), total > 0
                        ? amount(done, scale) + "/" + amount(total, scale) + " " + unit
                        : amount(done, scale) + " " + unit);
        out.flush();
    }

    private static String amount(long value, double scale) {
        return scale == 1 ? Long.toString(value) : String.format("%.1f", value / scale);
    }

    synchronized void finish() {
        if (phase != null) {
            out.println();
            phase = null;
            lastDone = -1;
        }
    }
}
