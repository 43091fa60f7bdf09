package dev.orchard.core.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two halves of one head's attention over the {@link KVCache}: the scaled scores of a query against the
 * cached keys, and the softmax-weighted sum of the cached values. Both keep four independent vector
 * accumulators, so consecutive multiply-adds do not wait on each other's latency, and neither needs a horizontal
 * sum per position (the plain form took one dot product, with its horizontal sum, and one axpy per position).
 */
final class Attention {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int LANES = 8;
    /** Positions per score pass: four vectors of 8. */
    static final int BLOCK = 32;

    private Attention() {
    }

    /**
     * {@code scores[t] = scale * (q[qo..qo+headDim) . key_t)} for {@code t} in {@code [0, count)}, with the keys of
     * one KV head stored transposed from {@code keys[kBase]}: dimension {@code d} of position {@code t} at
     * {@code keys[kBase + d * stride + t]}. Whole blocks of {@link #BLOCK} positions are computed, so
     * {@code scores} must hold {@code count} rounded up to a block and {@code stride} must be at least that.
     */
    static void scores(float[] q, int qo, float[] keys, int kBase, int stride, int headDim, int count, float scale,
                       float[] scores) {
        for (int t = 0; t < count; t += BLOCK) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int k = kBase + t;
            for (int d = 0; d < headDim; d++, k += stride) {
                FloatVector qd = FloatVector.broadcast(F, q[qo + d]);
                a0 = FloatVector.fromArray(F, keys, k).fma(qd, a0);
                a1 = FloatVector.fromArray(F, keys, k + LANES).fma(qd, a1);
                a2 = FloatVector.fromArray(F, keys, k + 2 * LANES).fma(qd, a2);
                a3 = FloatVector.fromArray(F, keys, k + 3 * LANES).fma(qd, a3);
            }
            a0.mul(scale).intoArray(scores, t);
            a1.mul(scale).intoArray(scores, t + LANES);
            a2.mul(scale).intoArray(scores, t + 2 * LANES);
            a3.mul(scale).intoArray(scores, t + 3 * LANES);
        }
    }

    /**
     * {@code out[oo..oo+headDim) = sum over t < count of p[t] * value_t}, where position {@code t}'s value row for
     * this head starts at {@code values[t * kvDim + vBase]}.
     */
    static void weightedValues(float[] p, int count, float[] values, int vBase, int kvDim, int headDim, float[] out,
                               int oo) {
        int d = 0;
        for (; d + 4 * LANES <= headDim; d += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int v = vBase + d;
            for (int t = 0; t < count; t++, v += kvDim) {
                FloatVector pt = FloatVector.broadcast(F, p[t]);
                a0 = FloatVector.fromArray(F, values, v).fma(pt, a0);
                a1 = FloatVector.fromArray(F, values, v + LANES).fma(pt, a1);
                a2 = FloatVector.fromArray(F, values, v + 2 * LANES).fma(pt, a2);
                a3 = FloatVector.fromArray(F, values, v + 3 * LANES).fma(pt, a3);
            }
            a0.intoArray(out, oo + d);
            a1.intoArray(out, oo + d + LANES);
            a2.intoArray(out, oo + d + 2 * LANES);
            a3.intoArray(out, oo + d + 3 * LANES);
        }
        for (; d < headDim; d++) { // head sizes that are not a multiple of 32 (tiny test models)
            float sum = 0f;
            for (int t = 0, v = vBase + d; t < count; t++, v += kvDim) {
                sum += p[t] * values[v];
            }
            out[oo + d] = sum;
        }
    }
}
