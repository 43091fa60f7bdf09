package dev.orchard.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Data parallelism inside one process: the sequences of an optimizer step are dealt round-robin to a fixed set of
 * worker threads, each running forward and backward on its own tape into its own gradient buffers; the buffers are
 * then summed in worker order. For a fixed worker count the result does not depend on thread timing, which is
 * what makes resumed runs bit-identical.
 */
final class DataParallel implements AutoCloseable {

    /**
     * One training sequence: input tokens, next-token targets ({@link Losses#IGNORE} where no loss is taken) and,
     * for distillation, the teacher's logits at every position.
     */
    record Example(int[] tokens, int[] targets, float[] teacherLogits) {
        int counted() {
            int n = 0;
            for (int t : targets) {
                if (t != Losses.IGNORE) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Sums over a step: cross-entropy and KL in nats (not yet divided), the number of target tokens, and
     * {@code value}: the objective's own scalar summed over examples (the loss for objectives other than
     * language modelling: a ranking loss, a policy surrogate).
     */
    record Stats(double crossEntropy, double kl, long tokens, double value) {
        Stats(double crossEntropy, double kl, long tokens) {
            this(crossEntropy, kl, tokens, 0);
        }

        Stats plus(Stats o) {
            return new Stats(crossEntropy + o.crossEntropy, kl + o.kl, tokens + o.tokens, value + o.value);
        }
    }

    /**
     * What one example contributes to a step: the objective records its loss on the worker's tape (forward
     * through {@code model} with gradients into {@code g}), and returns that loss with its statistics. Pretraining,
     * SFT, the reward model and the policy objectives are all one of these; the loop around them is shared.
     */
    interface Objective<E> {
        Loss loss(TrainingModel model, Tape tape, Grads g, E example);
    }

    /** A recorded scalar loss and the statistics it adds to the step. */
    record Loss(Tensor value, Stats stats) {
    }

    /** Language modelling: {@code (1 - alpha) CE + alpha KL(teacher || model)}, each over target tokens / divisor. */
    static Objective<Example> languageModel(double alpha, double divisor) {
        return (model, tape, g, ex) -> {
            Tensor logits = model.forward(tape, g, ex.tokens());
            Tensor ce = Losses.crossEntropy(tape, logits, ex.targets(), divisor);
            Tensor loss = ce;
            double kl = 0;
            if (ex.teacherLogits() != null && alpha > 0) {
                Tensor k = Losses.klDivergence(tape, logits, ex.teacherLogits(), ex.targets(), divisor);
                kl = k.item() * divisor;
                loss = Ops.axpby(tape, (float) (1 - alpha), ce, (float) alpha, k);
            }
            return new Loss(loss, new Stats(ce.item() * divisor, kl, ex.counted()));
        };
    }

    private final TrainingModel model;
    private final Grads[] grads;
    private final ExecutorService pool;

    DataParallel(TrainingModel model, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("need at least one worker, got " + workers);
        }
        this.model = model;
        this.grads = new Grads[workers];
        List<Parameter> trainable = model.trainableParameters();
        for (int w = 0; w < workers; w++) {
            grads[w] = new Grads(trainable);
        }
        this.pool = workers == 1 ? null : Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "orchard-train-worker");
            t.setDaemon(true);
            return t;
        });
    }

    int workers() {
        return grads.length;
    }

    /**
     * Forward and backward over {@code examples}; the loss is {@code (1 - alpha) CE + alpha KL(teacher || model)}
     * (alpha used only for examples with teacher logits), each summed over target tokens and divided by
     * {@code divisor}. Gradients are accumulated into {@link #gradients()} (call {@link #zero()} between steps).
     */
    Stats run(List<Example> examples, double alpha, double divisor) {
        return run(examples, languageModel(alpha, divisor));
    }

    /** Forward and backward of {@code objective} over {@code examples}, gradients accumulated as above. */
    <E> Stats run(List<E> examples, Objective<E> objective) {
        int workers = grads.length;
        List<Future<Stats>> futures = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            int worker = w;
            futures.add(pool.submit(() -> work(worker, examples, objective)));
        }
        Stats total = work(0, examples, objective);
        for (Future<Stats> f : futures) {
            try {
                total = total.plus(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return total;
    }

    private <E> Stats work(int worker, List<E> examples, Objective<E> objective) {
        Grads g = grads[worker];
        Stats stats = new Stats(0, 0, 0);
        for (int i = worker; i < examples.size(); i += grads.length) {
            Tape tape = new Tape();
            Loss loss = objective.loss(model, tape, g, examples.get(i));
            tape.backward(loss.value());
            stats = stats.plus(loss.stats());
        }
        return stats;
    }

    /** The step's gradients: worker 0's buffers after adding the others' in worker order. */
    Grads gradients() {
        for (int w = 1; w < grads.length; w++) {
            grads[0].addFrom(grads[w]);
            grads[w].zero();
        }
        return grads[0];
    }

    void zero() {
        for (Grads g : grads) {
            g.zero();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
