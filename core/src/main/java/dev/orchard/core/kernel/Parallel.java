package dev.orchard.core.kernel;

/**
 * The one place where kernels go parallel: split {@code [0, n)} into contiguous chunks and run them on a
 * persistent pool of worker threads plus the calling thread.
 *
 * <p>Decode calls a few hundred small mat-vecs per token, each a few tens of microseconds, so the cost of
 * starting one must be tiny: the workers live for the whole process, wait for work by spinning briefly and then
 * parking, and one call publishes its job with a single volatile write (no task objects, no futures). The rows
 * are handed out in shrinking chunks that the participants claim with an atomic counter (guided scheduling), so
 * the threads finish together and a thread that the operating system descheduled does not hold the others up.
 *
 * <p>The thread count defaults to the available processors and is set with {@link #setThreads(int)} (the CLI's
 * {@code --threads}). Calls from several threads at once are safe: one uses the pool, the others run their work
 * on their own thread.
 */
public final class Parallel {

    /** Work on the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static WorkerPool pool;

    private Parallel() {
    }

    public static int threads() {
        return threads;
    }

    /** Sets the number of threads (the caller included) that later calls use. */
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

    private static synchronized WorkerPool pool() {
        if (pool == null) {
            pool = new WorkerPool(threads - 1);
        }
        return pool;
    }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks whose boundaries are multiples of {@code grain} (the last
     * chunk may be shorter); returns when all chunks are done. Ranges of a single grain run on the caller alone.
     * The first exception thrown by a chunk is rethrown here.
     */
    public static void forRange(int n, int grain, RangeTask task) {
        if (grain < 1) {
            throw new IllegalArgumentException("grain must be at least 1, got " + grain);
        }
        int units = (n + grain - 1) / grain;
        int t = threads;
        if (t <= 1 || units <= 1) {
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        pool().run(task, n, grain, units);
    }
}
