package dev.orchard.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finite-difference gradient checks: the analytic gradient of a scalar function of some input tensors against
 * central differences {@code (f(x + h) - f(x - h)) / 2h}, element by element (all of them, or a random sample for
 * big inputs). The scalar is {@code sum(op(x) * R)} with a fixed random R, so every output element matters.
 */
final class GradCheck {

    private GradCheck() {
    }

    static Tensor random(int rows, int cols, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextGaussian() * scale);
        }
        return new Tensor(rows, cols, d, null, true);
    }

    /** {@code sum(y * R)} for a fixed random R of y's shape. */
    static Tensor project(Tape tape, Tensor y) {
        Tensor r = random(y.rows, y.cols, 1.0, 12345);
        return Ops.sum(tape, Ops.mul(tape, y, Tensor.constant(r.rows, r.cols, r.data)));
    }

    /**
     * Checks d f / d input for every input, sampling at most {@code samples} elements of each.
     * {@code f} must build a fresh graph from the given inputs on the given tape.
     */
    static void check(List<Tensor> inputs, Function<Tape, Tensor> f, double h, double tolerance, int samples) {
        for (Tensor x : inputs) {
            java.util.Arrays.fill(x.grad(), 0f);
        }
        Tape tape = new Tape();
        Tensor loss = f.apply(tape);
        tape.backward(loss);
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < inputs.size(); t++) {
            Tensor x = inputs.get(t);
            float[] analytic = x.grad().clone();
            double maxGrad = 1e-3;
            for (float g : analytic) {
                maxGrad = Math.max(maxGrad, Math.abs(g));
            }
            int n = x.size();
            int count = Math.min(samples, n);
            for (int s = 0; s < count; s++) {
                int i = count == n ? s : rng.nextInt(n);
                float saved = x.data[i];
                x.data[i] = (float) (saved + h);
                double plus = f.apply(new Tape()).item();
                x.data[i] = (float) (saved - h);
                double minus = f.apply(new Tape()).item();
                x.data[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertThat(analytic[i])
                        .as("input %d element %d: analytic %s vs numeric %s", t, i, analytic[i], numeric)
                        .isCloseTo((float) numeric, org.assertj.core.data.Offset.offset((float) (tolerance * maxGrad)));
            }
        }
    }
}
