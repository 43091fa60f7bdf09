package dev.orchard.train;

/**
 * Losses over logits ({@code n x vocab}, one row per position). Targets of {@code IGNORE} (-1) are masked out: they
 * add nothing to the loss and receive no gradient (prompt tokens in SFT, padding). Each loss is a sum over the
 * counted positions divided by a caller-given {@code divisor}, so micro-batches and worker threads can share one
 * normaliser (the number of target tokens in the whole optimizer step) and their gradients simply add.
 */
final class Losses {

    static final int IGNORE = -1;

    private Losses() {
    }

    /** Natural-log softmax of row {@code r} into {@code out}; returns nothing, computed in double for the sum. */
    static void logSoftmax(float[] logits, int o, int vocab, double[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, logits[o + j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(logits[o + j] - max);
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < vocab; j++) {
            out[j] = logits[o + j] - lse;
        }
    }

    private static void checkTargets(Tensor logits, int[] targets) {
        if (targets.length != logits.rows) {
            throw new IllegalArgumentException(targets.length + " targets for " + logits.rows + " positions");
        }
        for (int t : targets) {
            if (t != IGNORE && (t < 0 || t >= logits.cols)) {
                throw new IllegalArgumentException("target id " + t + " is outside the vocabulary (0.." + (logits.cols - 1) + ")");
            }
        }
    }

    /** {@code sum_i -log softmax(logits_i)[targets_i] / divisor}. */
    static Tensor crossEntropy(Tape tape, Tensor logits, int[] targets, double divisor) {
        checkTargets(logits, targets);
        int v = logits.cols;
        double[] lp = new double[v];
        double total = 0;
        for (int i = 0; i < logits.rows; i++) {
            if (targets[i] == IGNORE) {
                continue;
            }
            logSoftmax(logits.data, i * v, v, lp);
            total -= lp[targets[i]];
        }
        Tensor loss = new Tensor(1, 1, new float[] {(float) (total / divisor)}, null, logits.requiresGrad);
        if (loss.requiresGrad) {
            tape.record(() -> {
                float scale = (float) (loss.grad()[0] / divisor);
                float[] dl = logits.grad();
                double[] p = new double[v];
                for (int i = 0; i < logits.rows; i++) {
                    if (targets[i] == IGNORE) {
                        continue;
                    }
                    logSoftmax(logits.data, i * v, v, p);
                    int o = i * v;
                    for (int j = 0; j < v; j++) {
                        dl[o + j] += (float) (Math.exp(p[j]) * scale);
                    }
                    dl[o + targets[i]] -= scale;
                }
            });
        }
        return loss;
    }

    /**
     * Distillation: {@code sum_i KL(teacher_i || softmax(logits_i)) / divisor} over the positions whose target is not
     * {@link #IGNORE}; {@code teacherLogits} has the same shape as {@code logits} and takes no gradient.
     */
    static Tensor klDivergence(Tape tape, Tensor logits, float[] teacherLogits, int[] targets, double divisor) {
        checkTargets(logits, targets);
        int v = logits.cols;
        if (teacherLogits.length != logits.size()) {
            throw new IllegalArgumentException("teacher logits have " + teacherLogits.length + " values, the student "
                    + logits.size());
        }
        double[] lp = new double[v];
        double[] lt = new double[v];
        double total = 0;
        for (int i = 0; i < logits.rows; i++) {
            if (targets[i] == IGNORE) {
                continue;
            }
            logSoftmax(logits.data, i * v, v, lp);
            logSoftmax(teacherLogits, i * v, v, lt);
            for (int j = 0; j < v; j++) {
                total += Math.exp(lt[j]) * (lt[j] - lp[j]);
            }
        }
        Tensor loss = new Tensor(1, 1, new float[] {(float) (total / divisor)}, null, logits.requiresGrad);
        if (loss.requiresGrad) {
            tape.record(() -> {
                float scale = (float) (loss.grad()[0] / divisor);
                float[] dl = logits.grad();
                double[] p = new double[v];
                double[] t = new double[v];
                for (int i = 0; i < logits.rows; i++) {
                    if (targets[i] == IGNORE) {
                        continue;
                    }
                    logSoftmax(logits.data, i * v, v, p);
                    logSoftmax(teacherLogits, i * v, v, t);
                    int o = i * v;
                    for (int j = 0; j < v; j++) {
                        dl[o + j] += (float) ((Math.exp(p[j]) - Math.exp(t[j])) * scale);
                    }
                }
            });
        }
        return loss;
    }

    /**
     * The log-probability of each target under {@code softmax(logits)}: an {@code n x 1} tensor (0 where the target
     * is {@link #IGNORE}), the building block of policy-gradient and preference losses.
     */
    static Tensor gatherLogProbs(Tape tape, Tensor logits, int[] targets) {
        checkTargets(logits, targets);
        int v = logits.cols;
        double[] lp = new double[v];
        Tensor out = Tensor.zeros(logits.rows, 1, logits.requiresGrad);
        for (int i = 0; i < logits.rows; i++) {
            if (targets[i] != IGNORE) {
                logSoftmax(logits.data, i * v, v, lp);
                out.data[i] = (float) lp[targets[i]];
            }
        }
        if (out.requiresGrad) {
            tape.record(() -> {
                float[] dy = out.grad();
                float[] dl = logits.grad();
                double[] p = new double[v];
                for (int i = 0; i < logits.rows; i++) {
                    if (targets[i] == IGNORE || dy[i] == 0f) {
                        continue;
                    }
                    logSoftmax(logits.data, i * v, v, p);
                    int o = i * v;
                    for (int j = 0; j < v; j++) {
                        dl[o + j] -= (float) (dy[i] * Math.exp(p[j]));
                    }
                    dl[o + targets[i]] += dy[i];
                }
            });
        }
        return out;
    }
}
