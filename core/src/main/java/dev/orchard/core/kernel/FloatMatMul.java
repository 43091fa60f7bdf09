package dev.orchard.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-matrix product of a small tile of weight rows (already decoded to floats) with a batch of input
 * vectors: the heart of batched prefill. The micro-kernel keeps 4 rows x 2 inputs of partial sums in registers,
 * so each weight load feeds two multiply-adds and each input load four; 8 accumulators plus 6 loaded vectors fit
 * the 16 registers of AVX2. The scalar twin is {@link #rowTileScalar}.
 */
public final class FloatMatMul {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    private FloatMatMul() {
    }

    /**
     * For each row {@code r < tileRows} of {@code w} (rows of {@code k} floats back to back) and each input
     * {@code t < n} of {@code x} (inputs of {@code k} floats back to back):
     * {@code out[t * outStride + outOffset + r] = sum_i w[r * k + i] * x[t * k + i]}.
     */
    public static void rowTile(float[] w, int tileRows, int k, float[] x, int n, float[] out, int outStride,
                               int outOffset) {
        int r = 0;
        for (; r + 4 <= tileRows; r += 4) {
            int t = 0;
            for (; t + 2 <= n; t += 2) {
                kernel4x2(w, r * k, k, x, t * k, out, t * outStride + outOffset + r, outStride);
            }
            for (; t < n; t++) {
                for (int j = 0; j < 4; j++) {
                    out[t * outStride + outOffset + r + j] = FloatOps.dot(w, (r + j) * k, x, t * k, k);
                }
            }
        }
        for (; r < tileRows; r++) {
            for (int t = 0; t < n; t++) {
                out[t * outStride + outOffset + r] = FloatOps.dot(w, r * k, x, t * k, k);
            }
        }
    }

    /** Rows {@code w[wo..]} (4 of them) times inputs {@code x[xo..]} (2 of them) into {@code out[o..]}. */
    private static void kernel4x2(float[] w, int wo, int k, float[] x, int xo, float[] out, int o, int outStride) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        int w1 = wo + k;
        int w2 = wo + 2 * k;
        int w3 = wo + 3 * k;
        int x1 = xo + k;
        int i = 0;
        int bound = F.loopBound(k);
        for (; i < bound; i += F.length()) {
            FloatVector v0 = FloatVector.fromArray(F, x, xo + i);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + i);
            FloatVector r0 = FloatVector.fromArray(F, w, wo + i);
            a00 = r0.fma(v0, a00);
            a01 = r0.fma(v1, a01);
            FloatVector r1 = FloatVector.fromArray(F, w, w1 + i);
            a10 = r1.fma(v0, a10);
            a11 = r1.fma(v1, a11);
            FloatVector r2 = FloatVector.fromArray(F, w, w2 + i);
            a20 = r2.fma(v0, a20);
            a21 = r2.fma(v1, a21);
            FloatVector r3 = FloatVector.fromArray(F, w, w3 + i);
            a30 = r3.fma(v0, a30);
            a31 = r3.fma(v1, a31);
        }
        float s00 = FloatOps.sumLanes(a00);
        float s10 = FloatOps.sumLanes(a10);
        float s20 = FloatOps.sumLanes(a20);
        float s30 = FloatOps.sumLanes(a30);
        float s01 = FloatOps.sumLanes(a01);
        float s11 = FloatOps.sumLanes(a11);
        float s21 = FloatOps.sumLanes(a21);
        float s31 = FloatOps.sumLanes(a31);
        for (; i < k; i++) {
            float v0 = x[xo + i];
            float v1 = x[x1 + i];
            s00 += w[wo + i] * v0;
            s01 += w[wo + i] * v1;
            s10 += w[w1 + i] * v0;
            s11 += w[w1 + i] * v1;
            s20 += w[w2 + i] * v0;
            s21 += w[w2 + i] * v1;
            s30 += w[w3 + i] * v0;
            s31 += w[w3 + i] * v1;
        }
        out[o] = s00;
        out[o + 1] = s10;
        out[o + 2] = s20;
        out[o + 3] = s30;
        out[o + outStride] = s01;
        out[o + outStride + 1] = s11;
        out[o + outStride + 2] = s21;
        out[o + outStride + 3] = s31;
    }

    /** Reference for {@link #rowTile}: double-precision sums, one element at a time. */
    public static void rowTileScalar(float[] w, int tileRows, int k, float[] x, int n, float[] out, int outStride,
                                     int outOffset) {
        for (int r = 0; r < tileRows; r++) {
            for (int t = 0; t < n; t++) {
                out[t * outStride + outOffset + r] = FloatOpsScalar.dot(w, r * k, x, t * k, k);
            }
        }
    }
}
