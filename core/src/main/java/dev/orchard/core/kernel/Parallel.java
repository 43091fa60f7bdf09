package dev.orchard.core.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where kernels go parallel: split {@code [0, n)} into contiguous chunks, one per worker.
 * The number of threads defaults to the available processors and can be set once at start-up with
 * {@link #setThreads(int)} (the CLI's {@code --threads}).
 */
public final class Parallel {

    /** Work on the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile ExecutorService pool;

    private Parallel() {
    }

    public static int threads() {
        return threads;
    }

    /** Sets the worker count for later calls. */
    public static synchronized void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + count);
        }
        if (count != threads) {
            threads = count;
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "orchard-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /**
     * Runs {@code task} over {@code [0, n)}, split into at most {@link #threads()} chunks; the calling thread
     * takes the first chunk. Ranges smaller than {@code minChunk} per thread run on the caller alone.
     */
    public static void forRange(int n, int minChunk, RangeTask task) {
        int workers = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (workers <= 1) {
            task.run(0, n);
            return;
        }
        ExecutorService executor = pool();
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            int start = (int) ((long) n * w / workers);
            int end = (int) ((long) n * (w + 1) / workers);
            futures.add(executor.submit(() -> task.run(start, end)));
        }
        task.run(0, (int) ((long) n / workers));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
