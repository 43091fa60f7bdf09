package dev.orchard.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Persistent worker threads for {@link Parallel}. One job runs at a time. A job is published by writing its
 * fields and then one volatile value, {@link #claim}, which packs the job's generation (high 32 bits) with the
 * index of the next unclaimed chunk (low 32 bits). Workers claim chunks by compare-and-set on it, so a worker
 * that wakes late cannot claim a chunk of a job that has moved on, and the caller only waits for chunks to be
 * finished, never for idle workers to check in.
 */
final class WorkerPool {

    /** How long an idle worker spins before parking: longer than the gaps between mat-vecs within a token. */
    private static final long WORKER_SPIN_NANOS = 200_000;
    /** How long the caller spins for the last chunks before parking. */
    private static final long CALLER_SPIN_NANOS = 50_000;

    private final Worker[] workers;
    private final ReentrantLock jobLock = new ReentrantLock();
    private final AtomicLong claim = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread waiter;
    private volatile boolean stopped;

    // The current job; written by the caller before the volatile write that publishes it.
    private Parallel.RangeTask task;
    private int n;
    private int grain;
    private int units;
    private int chunks;

    WorkerPool(int count) {
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
    }

    void run(Parallel.RangeTask job, int n, int grain, int units, int chunks) {
        if (jobLock.isHeldByCurrentThread() || !jobLock.tryLock()) {
            job.run(0, n); // nested or concurrent call: the pool is busy, do the work here
            return;
        }
        try {
            this.task = job;
            this.n = n;
            this.grain = grain;
            this.units = units;
            this.chunks = chunks;
            done.set(0);
            failure.set(null);
            int generation = (int) (claim.get() >>> 32) + 1;
            claim.set((long) generation << 32); // publishes the job
            for (Worker w : workers) {
                if (w.sleeping) {
                    LockSupport.unpark(w);
                }
            }
            work(generation);
            awaitDone();
            this.task = null; // do not keep the caller's arrays reachable
            Throwable t = failure.get();
            if (t != null) {
                failure.set(null);
                if (t instanceof RuntimeException re) {
                    throw re;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(t);
            }
        } finally {
            jobLock.unlock();
        }
    }

    /** Claims and runs chunks of job {@code generation} until none are left. */
    private void work(int generation) {
        Parallel.RangeTask job = task;
        int jobN = n;
        int jobGrain = grain;
        int jobUnits = units;
        int jobChunks = chunks;
        while (true) {
            long c = claim.get();
            if ((int) (c >>> 32) != generation || (int) c >= jobChunks) {
                return;
            }
            if (!claim.compareAndSet(c, c + 1)) {
                continue;
            }
            int chunk = (int) c;
            int start = (int) ((long) jobUnits * chunk / jobChunks) * jobGrain;
            int end = (int) Math.min((long) jobUnits * (chunk + 1) / jobChunks * jobGrain, jobN);
            try {
                job.run(start, end);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            if (done.incrementAndGet() == jobChunks) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }

    private void awaitDone() {
        int target = chunks;
        if (done.get() == target) {
            return;
        }
        long deadline = System.nanoTime() + CALLER_SPIN_NANOS;
        while (done.get() != target) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (done.get() != target) {
                    LockSupport.parkNanos(this, 1_000_000);
                }
                waiter = null;
            }
        }
    }

    /** Stops the workers once the running job (if any) is finished. */
    void shutdown() {
        jobLock.lock();
        try {
            stopped = true;
            claim.set(((claim.get() >>> 32) + 1) << 32); // an empty job wakes spinning workers
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        } finally {
            jobLock.unlock();
        }
    }

    private final class Worker extends Thread {
        volatile boolean sleeping;

        Worker(int index) {
            super("orchard-worker-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = (int) (claim.get() >>> 32);
            while (!stopped) {
                int generation = awaitJob(seen);
                if (stopped) {
                    return;
                }
                seen = generation;
                work(generation);
            }
        }

        private int awaitJob(int seen) {
            long deadline = System.nanoTime() + WORKER_SPIN_NANOS;
            int spins = 0;
            while (true) {
                int generation = (int) (claim.get() >>> 32);
                if (generation != seen || stopped) {
                    return generation;
                }
                if ((++spins & 63) != 0 || System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    sleeping = true;
                    if ((int) (claim.get() >>> 32) == seen && !stopped) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                    deadline = System.nanoTime() + WORKER_SPIN_NANOS;
                }
            }
        }
    }
}
