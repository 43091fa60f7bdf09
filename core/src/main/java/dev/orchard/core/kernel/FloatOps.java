package dev.orchard.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and reduction kernels over float arrays used by the forward pass: dot, axpy, RMSNorm, softmax,
 * SwiGLU. Each has a Vector API body with a scalar tail; the scalar twins live in {@link FloatOpsScalar}.
 */
public final class FloatOps {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private FloatOps() {
    }

    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S256, i -> i ^ 4);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S256, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S256, i -> i ^ 1);
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorShuffle<Float> SWAP8_512 = VectorShuffle.fromOp(S512, i -> i ^ 8);
    private static final VectorShuffle<Float> SWAP4_512 = VectorShuffle.fromOp(S512, i -> i ^ 4);
    private static final VectorShuffle<Float> SWAP2_512 = VectorShuffle.fromOp(S512, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1_512 = VectorShuffle.fromOp(S512, i -> i ^ 1);

    /**
     * The sum of a vector's lanes in a fixed order (pairwise, halves first). {@code reduceLanes(ADD)} leaves the
     * order to the implementation, and the interpreter and the JIT-compiled intrinsic disagree in the last bit, so a
     * computation repeated after warm-up gave different logits (and a seeded sample could differ between runs).
     * Explicit lane-wise adds are exact in both; compiled, this costs the same as the intrinsic.
     */
    public static float sumLanes(FloatVector v) {
        if (v.species() == S256) {
            v = v.add(v.rearrange(SWAP4));
            v = v.add(v.rearrange(SWAP2));
            v = v.add(v.rearrange(SWAP1));
            return v.lane(0);
        }
        if (v.species() == S512) {
            v = v.add(v.rearrange(SWAP8_512));
            v = v.add(v.rearrange(SWAP4_512));
            v = v.add(v.rearrange(SWAP2_512));
            v = v.add(v.rearrange(SWAP1_512));
            return v.lane(0);
        }
        float[] lanes = v.toArray();
        for (int width = lanes.length / 2; width >= 1; width /= 2) {
            for (int i = 0; i < width; i++) {
                lanes[i] += lanes[i + width];
            }
        }
        return lanes[0];
    }

    /**
     * {@code sum_i a[ao + i] * b[bo + i]} for {@code i < n}. Four accumulators: with one, every multiply-add
     * waits for the previous one (4 cycles), which halved the speed of the F16 mat-vec built on this.
     */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int l = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 4 * l <= n; i += 4 * l) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
            acc1 = FloatVector.fromArray(F, a, ao + i + l).fma(FloatVector.fromArray(F, b, bo + i + l), acc1);
            acc2 = FloatVector.fromArray(F, a, ao + i + 2 * l).fma(FloatVector.fromArray(F, b, bo + i + 2 * l), acc2);
            acc3 = FloatVector.fromArray(F, a, ao + i + 3 * l).fma(FloatVector.fromArray(F, b, bo + i + 3 * l), acc3);
        }
        for (; i + l <= n; i += l) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
        }
        float sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        for (; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    /** {@code y[yo + i] += alpha * x[xo + i]} for {@code i < n}. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector va = FloatVector.broadcast(F, alpha);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).fma(va, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** {@code y[i] += x[i]} over the whole of {@code x}. */
    public static void add(float[] x, float[] y, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, y, i).add(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += x[i];
        }
    }

    /** {@code out[oo + i] = x[xo + i] / rms(x) * weight[i]}, rms over {@code n} elements with {@code eps}. */
    public static void rmsNorm(float[] out, int oo, float[] x, int xo, float[] weight, int n, float eps) {
        float ss = dot(x, xo, x, xo, n);
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).mul(scale).mul(FloatVector.fromArray(F, weight, i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = x[xo + i] * scale * weight[i];
        }
    }

    /** In-place softmax over {@code x[offset .. offset + n)}. */
    public static void softmax(float[] x, int offset, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += F.length()) {
            vmax = vmax.max(FloatVector.fromArray(F, x, offset + i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[offset + i]);
        }
        FloatVector vsum = FloatVector.zero(F);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, x, offset + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, offset + i);
            vsum = vsum.add(e);
        }
        float sum = sumLanes(vsum);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[offset + i] - max);
            x[offset + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = 0; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, offset + i).mul(inv).intoArray(x, offset + i);
        }
        for (; i < n; i++) {
            x[offset + i] *= inv;
        }
    }

    /** SwiGLU in place: {@code gate[i] = silu(gate[i]) * up[i]} with {@code silu(g) = g / (1 + e^-g)}. */
    public static void swiglu(float[] gate, float[] up, int n) {
        swiglu(gate, up, 0, n);
    }

    /**
     * {@link #swiglu(float[], float[], int)} over {@code [offset, offset + n)} only; its vector tail falls at
     * {@code n}, so one token's activations give the same bits however many tokens share the arrays.
     */
    public static void swiglu(float[] gate, float[] up, int offset, int n) {
        int bound = offset + F.loopBound(n);
        int i = offset;
        for (; i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            FloatVector silu = g.div(g.neg().lanewise(VectorOperators.EXP).add(1f));
            silu.mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
        }
        for (; i < offset + n; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }
}
