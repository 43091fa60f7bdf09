package dev.orchard.data;

import java.io.PrintStream;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A progress line on stderr: the pipeline step, and the tasks done in the Spark stages running now. On a terminal
 * the line is redrawn in place twice a second; otherwise each step is printed once.
 */
final class Progress implements AutoCloseable {
    private final PrintStream err;
    private final boolean tty;
    private final long start = System.nanoTime();
    private volatile String step = "starting";
    private final Thread ticker;
    private int lastWidth;

    Progress(PrintStream err, JavaSparkContext sc, boolean enabled) {
        this.err = err;
        this.tty = enabled && System.console() != null;
        if (enabled && sc != null && tty) {
            JavaSparkStatusTracker tracker = sc.statusTracker();
            ticker = Thread.ofPlatform().daemon().name("orchard-progress").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    draw(tasks(tracker));
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        } else {
            ticker = null;
        }
        this.enabled = enabled;
    }

    private final boolean enabled;

    void step(String s) {
        step = s;
        if (!enabled) {
            return;
        }
        if (tty) {
            draw("");
        } else {
            err.printf("orchard curate: [%5.1fs] %s%n", elapsed(), s);
        }
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String tasks(JavaSparkStatusTracker t) {
        int done = 0;
        int total = 0;
        for (int id : t.getActiveStageIds()) {
            SparkStageInfo s = t.getStageInfo(id);
            if (s != null) {
                done += s.numCompletedTasks();
                total += s.numTasks();
            }
        }
        return total == 0 ? "" : " tasks " + done + "/" + total;
    }

    private synchronized void draw(String tasks) {
        String line = String.format("orchard curate: [%5.1fs] %s%s", elapsed(), step, tasks);
        int pad = Math.max(0, lastWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastWidth = line.length();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
        }
        if (enabled && tty) {
            err.println();
        }
    }
}
