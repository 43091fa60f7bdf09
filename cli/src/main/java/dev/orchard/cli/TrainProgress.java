package dev.orchard.cli;

import dev.orchard.train.Evaluation;
import dev.orchard.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws training progress on stderr: a bar redrawn in place on a terminal, or one line every {@code every} steps
 * when stderr is redirected (logs stay readable).
 */
final class TrainProgress implements TrainingListener {

    private final PrintStream err = System.err;
    private final boolean terminal = System.console() != null;
    private final int every;
    private boolean barShown;

    TrainProgress(int every) {
        this.every = Math.max(1, every);
    }

    @Override
    public void onStep(Step s) {
        if (!terminal && s.step() % every != 0 && s.step() != s.totalSteps()) {
            return;
        }
        int width = 30;
        int done = (int) ((long) width * s.step() / s.totalSteps());
        String bar = "=".repeat(done) + (done < width ? ">" + " ".repeat(width - done - 1) : "");
        String line = String.format(Locale.ROOT, "[%s] %3d%% step %d/%d  loss %.4f  lr %.2e  %,.0f tok/s  ETA %s",
                bar, 100L * s.step() / s.totalSteps(), s.step(), s.totalSteps(), s.loss(), s.lr(), s.tokensPerSecond(),
                duration(s.etaSeconds()));
        if (terminal) {
            err.print("\r" + line);
            barShown = true;
            if (s.step() == s.totalSteps()) {
                newline();
            }
        } else {
            err.println(line);
        }
    }

    @Override
    public void onEval(int step, Evaluation e) {
        newline();
        err.printf(Locale.ROOT, "step %d: held-out %.4f nats/token, %.4f bits/byte (%,d tokens, %d documents)%n",
                step, e.natsPerToken(), e.bitsPerByte(), e.tokens(), e.documents());
    }

    @Override
    public void onMessage(String message) {
        newline();
        err.println(message);
    }

    private void newline() {
        if (barShown) {
            err.println();
            barShown = false;
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
