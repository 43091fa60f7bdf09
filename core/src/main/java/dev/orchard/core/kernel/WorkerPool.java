package dev.orchard.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Persistent worker threads for {@link Parallel}. One job runs at a time. Each job is an immutable {@link Job}
 * with its own chunk and completion counters, published with one volatile write; workers claim chunks of the job
 * they read, so a worker that wakes late can only touch the counters of a job that has already finished (where
 * every chunk is claimed), never those of the next one. The caller waits only for chunks to be finished, never for
 * idle workers to check in.
 */
final class WorkerPool {

    /** How long an idle worker spins before parking: longer than the gaps between mat-vecs within a token. */
    private static final long WORKER_SPIN_NANOS = 200_000;
    /** How long the caller spins for the last chunks before parking. */
    private static final long CALLER_SPIN_NANOS = 50_000;

    /**
     * One call's work: {@code units} units of {@code grain} indices (the last one may be shorter), handed out in
     * shrinking chunks (guided scheduling): each claim takes the unclaimed units divided by the thread count, at
     * least one. With 2 threads the caller takes the first half and the worker the rest in a handful of claims,
     * so the threads finish together. Few, long chunks matter: each chunk starts a new memory stream, and a
     * 1536x576 Q4_0 mat-vec on 2 threads ran at 24-26 elements/ns with this divisor, 20-21 with twice as many
     * claims and 14-16 with eight times as many (it runs at 14 on one thread).
     */
    private static final class Job {
        final Parallel.RangeTask task;
        final int n;
        final int grain;
        final int units;
        final int divisor;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile Thread waiter;

        Job(Parallel.RangeTask task, int n, int grain, int units, int threads) {
            this.task = task;
            this.n = n;
            this.grain = grain;
            this.units = units;
            this.divisor = threads;
        }

        /**
         * Claims and runs chunks until none are left, then reports the units it finished with one atomic add
         * (one per participant and job, not one per chunk: the counter's cache line moves between cores less).
         */
        void work() {
            int finished = 0;
            while (true) {
                int claimed = next.get();
                if (claimed >= units) {
                    break;
                }
                int size = Math.max(1, (units - claimed) / divisor);
                if (!next.compareAndSet(claimed, claimed + size)) {
                    continue;
                }
                int start = claimed * grain;
                int end = (int) Math.min((long) (claimed + size) * grain, n);
                try {
                    task.run(start, end);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                finished += size;
            }
            if (finished > 0 && done.addAndGet(finished) == units) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }

        void awaitDone() {
            long deadline = System.nanoTime() + CALLER_SPIN_NANOS;
            while (done.get() < units) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if (done.get() < units) {
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                    waiter = null;
                }
            }
        }
    }

    private static final Job NONE = new Job((s, e) -> { }, 0, 1, 0, 1);

    private final Worker[] workers;
    private final ReentrantLock jobLock = new ReentrantLock();
    private volatile Job current = NONE;
    private volatile boolean stopped;

    WorkerPool(int count) {
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
    }

    void run(Parallel.RangeTask task, int n, int grain, int units) {
        if (jobLock.isHeldByCurrentThread() || !jobLock.tryLock()) {
            task.run(0, n); // nested or concurrent call: the pool is busy, do the work here
            return;
        }
        try {
            Job job = new Job(task, n, grain, units, workers.length + 1);
            current = job; // publishes the job
            for (Worker w : workers) {
                if (w.sleeping) {
                    LockSupport.unpark(w);
                }
            }
            job.work();
            job.awaitDone();
            current = NONE; // do not keep the caller's arrays reachable
            Throwable t = job.failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        } finally {
            jobLock.unlock();
        }
    }

    /** Stops the workers once the running job (if any) is finished. */
    void shutdown() {
        jobLock.lock();
        try {
            stopped = true;
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
            Job seen = NONE;
            while (!stopped) {
                Job job = awaitJob(seen);
                if (stopped) {
                    return;
                }
                seen = job;
                job.work();
            }
        }

        private Job awaitJob(Job seen) {
            long deadline = System.nanoTime() + WORKER_SPIN_NANOS;
            int spins = 0;
            while (true) {
                Job job = current;
                if ((job != seen && job != NONE) || stopped) {
                    return job;
                }
                if ((++spins & 63) != 0 || System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    sleeping = true;
                    Job again = current;
                    if ((again == seen || again == NONE) && !stopped) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                    deadline = System.nanoTime() + WORKER_SPIN_NANOS;
                }
            }
        }
    }
}
