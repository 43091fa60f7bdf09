package dev.orchard.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal grouped-query attention over one sequence (row {@code i} is position {@code i}): query head {@code h}
 * reads key/value head {@code h / (heads / kvHeads)}, scores are scaled by {@code 1/sqrt(headDim)}. The softmax
 * probabilities of every head are kept for the backward pass ({@code heads * n * n} floats per layer); all products
 * go through {@link Gemm}, row blocks bounded by the causal mask.
 */
final class Attention {

    private static final int BLOCK = 64;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Attention() {
    }

    static Tensor forward(Tape tape, Tensor q, Tensor k, Tensor v, int heads, int kvHeads, int headDim) {
        int n = q.rows;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        if (q.cols != qDim || k.cols != kvDim || v.cols != kvDim || k.rows != n || v.rows != n) {
            throw new IllegalArgumentException("attention: q " + q + ", k " + k + ", v " + v + " do not fit "
                    + heads + "/" + kvHeads + " heads of " + headDim);
        }
        int group = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        boolean grad = q.requiresGrad || k.requiresGrad || v.requiresGrad;
        Tensor out = Tensor.zeros(n, qDim, grad);
        float[][] probs = new float[heads][];
        float[] kt = new float[headDim * n];
        for (int h = 0; h < heads; h++) {
            int g = h / group;
            if (h % group == 0) {
                Gemm.transpose(k.data, g * headDim, kvDim, n, headDim, kt);
            }
            float[] p = new float[n * n];
            for (int i0 = 0; i0 < n; i0 += BLOCK) {
                int i1 = Math.min(n, i0 + BLOCK);
                Gemm.mulAdd(i1 - i0, i1, headDim, q.data, i0 * qDim + h * headDim, qDim, 1, kt, 0, n, p, i0 * n, n);
                for (int i = i0; i < i1; i++) {
                    softmaxRow(p, i * n, i + 1, i1, scale);
                }
                Gemm.mulAdd(i1 - i0, headDim, i1, p, i0 * n, n, 1, v.data, g * headDim, kvDim,
                        out.data, i0 * qDim + h * headDim, qDim);
            }
            probs[h] = p;
        }
        if (grad) {
            tape.record(() -> backward(q, k, v, out, probs, heads, kvHeads, headDim, scale));
        }
        return out;
    }

    /**
     * Softmax of {@code scale * row[0..len)}; the masked entries {@code [len, end)} become 0. Vectorised, with the
     * Vector API's lane-wise exp (an intrinsic on x86), since attention spends most of its time here at small
     * head widths.
     */
    static void softmaxRow(float[] p, int o, int len, int end, float scale) {
        int bound = S.loopBound(len);
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < bound; j += S.length()) {
            vmax = vmax.max(FloatVector.fromArray(S, p, o + j));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < len; j++) {
            max = Math.max(max, p[o + j]);
        }
        FloatVector vsum = FloatVector.zero(S);
        FloatVector vm = FloatVector.broadcast(S, max);
        j = 0;
        for (; j < bound; j += S.length()) {
            FloatVector e = FloatVector.fromArray(S, p, o + j).sub(vm).mul(scale).lanewise(VectorOperators.EXP);
            e.intoArray(p, o + j);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            float e = (float) Math.exp((p[o + j] - max) * scale);
            p[o + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        j = 0;
        for (; j < bound; j += S.length()) {
            FloatVector.fromArray(S, p, o + j).mul(inv).intoArray(p, o + j);
        }
        for (; j < len; j++) {
            p[o + j] *= inv;
        }
        java.util.Arrays.fill(p, o + len, o + end, 0f);
    }

    /** {@code ds[j] = p[j] * (ds[j] - sum_k p[k] ds[k]) * scale} over {@code [0, len)}: the softmax Jacobian. */
    static void softmaxBackwardRow(float[] p, float[] ds, int o, int len, float scale) {
        int bound = S.loopBound(len);
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j < bound; j += S.length()) {
            acc = FloatVector.fromArray(S, p, o + j).fma(FloatVector.fromArray(S, ds, o + j), acc);
        }
        float dot = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            dot += p[o + j] * ds[o + j];
        }
        FloatVector vd = FloatVector.broadcast(S, dot);
        j = 0;
        for (; j < bound; j += S.length()) {
            FloatVector.fromArray(S, ds, o + j).sub(vd).mul(FloatVector.fromArray(S, p, o + j)).mul(scale).intoArray(ds, o + j);
        }
        for (; j < len; j++) {
            ds[o + j] = p[o + j] * (ds[o + j] - dot) * scale;
        }
    }

    private static void backward(Tensor q, Tensor k, Tensor v, Tensor out, float[][] probs, int heads, int kvHeads,
                                 int headDim, float scale) {
        int n = q.rows;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        int group = heads / kvHeads;
        float[] dOut = out.grad();
        float[] dq = q.requiresGrad ? q.grad() : null;
        float[] dk = k.requiresGrad ? k.grad() : null;
        float[] dv = v.requiresGrad ? v.grad() : null;
        float[] vt = new float[headDim * n];
        float[] ds = new float[n * n];
        for (int h = 0; h < heads; h++) {
            int g = h / group;
            int qo = h * headDim;
            int ko = g * headDim;
            float[] p = probs[h];
            if (h % group == 0) {
                Gemm.transpose(v.data, ko, kvDim, n, headDim, vt);
            }
            if (dv != null) {
                // dV += P^T dO, rows j of dV take i >= j
                for (int j0 = 0; j0 < n; j0 += BLOCK) {
                    int j1 = Math.min(n, j0 + BLOCK);
                    Gemm.mulAdd(j1 - j0, headDim, n - j0, p, j0 * n + j0, 1, n, dOut, j0 * qDim + qo, qDim,
                            dv, j0 * kvDim + ko, kvDim);
                }
            }
            if (dq == null && dk == null) {
                continue;
            }
            java.util.Arrays.fill(ds, 0f);
            for (int i0 = 0; i0 < n; i0 += BLOCK) {
                int i1 = Math.min(n, i0 + BLOCK);
                // dP = dO V^T
                Gemm.mulAdd(i1 - i0, i1, headDim, dOut, i0 * qDim + qo, qDim, 1, vt, 0, n, ds, i0 * n, n);
                // dS = P * (dP - sum_j P dP) * scale  (the softmax Jacobian; masked entries have P = 0)
                for (int i = i0; i < i1; i++) {
                    softmaxBackwardRow(p, ds, i * n, i + 1, scale);
                    java.util.Arrays.fill(ds, i * n + i + 1, i * n + i1, 0f);
                }
                if (dq != null) {
                    // dQ += dS K
                    Gemm.mulAdd(i1 - i0, headDim, i1, ds, i0 * n, n, 1, k.data, ko, kvDim, dq, i0 * qDim + qo, qDim);
                }
            }
            if (dk != null) {
                // dK += dS^T Q
                for (int j0 = 0; j0 < n; j0 += BLOCK) {
                    int j1 = Math.min(n, j0 + BLOCK);
                    Gemm.mulAdd(j1 - j0, headDim, n - j0, ds, j0 * n + j0, 1, n, q.data, j0 * qDim + qo, qDim,
                            dk, j0 * kvDim + ko, kvDim);
                }
            }
        }
    }
}
