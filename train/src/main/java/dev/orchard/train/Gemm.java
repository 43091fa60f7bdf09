package dev.orchard.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one matrix kernel of the training engine: {@code C += A B} with A read through arbitrary row and column
 * strides, so the same loop serves {@code A B}, {@code A^T B} (weight gradients) and products over column slices
 * (attention heads). It is register-blocked: a 4-row by 2-vector block of C stays in registers while the k loop
 * broadcasts one element of A per row and loads one vector pair of B. Single-threaded: the trainer parallelises
 * over sequences, one tape per worker thread.
 */
final class Gemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Half the preferred width, for column tails: head_dim 8 on a 16-lane (AVX-512) machine must not go scalar. */
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Math.max(128, S.vectorBitSize() / 2)));
    private static final int HL = H.length();

    private Gemm() {
    }

    /**
     * {@code C[i][j] += sum_p A(i,p) B[p][j]} for {@code i < m, j < n, p < k}, where
     * {@code A(i,p) = a[ao + i*ars + p*acs]}, {@code B[p][j] = b[bo + p*ldb + j]}, {@code C[i][j] = c[co + i*ldc + j]}.
     */
    static void mulAdd(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
                       float[] c, int co, int ldc) {
        if (m <= 0 || n <= 0 || k <= 0) {
            return;
        }
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x2(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
            }
            for (; i < m; i++) {
                block1x2(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j);
            }
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                block8x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
            }
            for (; i + 4 <= m; i += 4) {
                block4x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
            }
            for (; i < m; i++) {
                block1x1(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j);
            }
        }
        if (HL < L && j + HL <= n) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                half8x1(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc);
            }
            for (; i < m; i++) {
                half1x1(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j);
            }
            j += HL;
        }
        if (j < n) {
            for (int i = 0; i < m; i++) {
                int ai = ao + i * ars;
                int ci = co + i * ldc;
                for (int p = 0; p < k; p++) {
                    float x = a[ai + p * acs];
                    int bp = bo + p * ldb;
                    for (int jj = j; jj < n; jj++) {
                        c[ci + jj] += x * b[bp + jj];
                    }
                }
            }
        }
    }

    private static void block4x2(int k, float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc) {
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector s00 = FloatVector.fromArray(S, c, c0);
        FloatVector s01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector s10 = FloatVector.fromArray(S, c, c1);
        FloatVector s11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector s20 = FloatVector.fromArray(S, c, c2);
        FloatVector s21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector s30 = FloatVector.fromArray(S, c, c3);
        FloatVector s31 = FloatVector.fromArray(S, c, c3 + L);
        for (int p = 0, ap = 0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            FloatVector v0 = FloatVector.fromArray(S, b, bp);
            FloatVector v1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            s00 = v0.fma(x, s00);
            s01 = v1.fma(x, s01);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            s10 = v0.fma(x, s10);
            s11 = v1.fma(x, s11);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            s20 = v0.fma(x, s20);
            s21 = v1.fma(x, s21);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            s30 = v0.fma(x, s30);
            s31 = v1.fma(x, s31);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
    }

    private static void block1x2(int k, float[] a, int a0, int acs, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector s0 = FloatVector.fromArray(S, c, c0);
        FloatVector s1 = FloatVector.fromArray(S, c, c0 + L);
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            s0 = FloatVector.fromArray(S, b, bp).fma(x, s0);
            s1 = FloatVector.fromArray(S, b, bp + L).fma(x, s1);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + L);
    }

    private static void block4x1(int k, float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc) {
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector s0 = FloatVector.fromArray(S, c, c0);
        FloatVector s1 = FloatVector.fromArray(S, c, c1);
        FloatVector s2 = FloatVector.fromArray(S, c, c2);
        FloatVector s3 = FloatVector.fromArray(S, c, c3);
        for (int p = 0, ap = 0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            FloatVector v = FloatVector.fromArray(S, b, bp);
            s0 = v.fma(FloatVector.broadcast(S, a[a0 + ap]), s0);
            s1 = v.fma(FloatVector.broadcast(S, a[a1 + ap]), s1);
            s2 = v.fma(FloatVector.broadcast(S, a[a2 + ap]), s2);
            s3 = v.fma(FloatVector.broadcast(S, a[a3 + ap]), s3);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c1);
        s2.intoArray(c, c2);
        s3.intoArray(c, c3);
    }

    /** Eight rows by one vector: enough independent accumulators to hide the FMA latency when n is one vector. */
    private static void block8x1(int k, float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc) {
        FloatVector s0 = FloatVector.fromArray(S, c, c0);
        FloatVector s1 = FloatVector.fromArray(S, c, c0 + ldc);
        FloatVector s2 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
        FloatVector s3 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        FloatVector s4 = FloatVector.fromArray(S, c, c0 + 4 * ldc);
        FloatVector s5 = FloatVector.fromArray(S, c, c0 + 5 * ldc);
        FloatVector s6 = FloatVector.fromArray(S, c, c0 + 6 * ldc);
        FloatVector s7 = FloatVector.fromArray(S, c, c0 + 7 * ldc);
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            FloatVector v = FloatVector.fromArray(S, b, bp);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            s0 = v.fma(x, s0);
            x = FloatVector.broadcast(S, a[ap + ars]);
            s1 = v.fma(x, s1);
            x = FloatVector.broadcast(S, a[ap + 2 * ars]);
            s2 = v.fma(x, s2);
            x = FloatVector.broadcast(S, a[ap + 3 * ars]);
            s3 = v.fma(x, s3);
            x = FloatVector.broadcast(S, a[ap + 4 * ars]);
            s4 = v.fma(x, s4);
            x = FloatVector.broadcast(S, a[ap + 5 * ars]);
            s5 = v.fma(x, s5);
            x = FloatVector.broadcast(S, a[ap + 6 * ars]);
            s6 = v.fma(x, s6);
            x = FloatVector.broadcast(S, a[ap + 7 * ars]);
            s7 = v.fma(x, s7);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + ldc);
        s2.intoArray(c, c0 + 2 * ldc);
        s3.intoArray(c, c0 + 3 * ldc);
        s4.intoArray(c, c0 + 4 * ldc);
        s5.intoArray(c, c0 + 5 * ldc);
        s6.intoArray(c, c0 + 6 * ldc);
        s7.intoArray(c, c0 + 7 * ldc);
    }

    private static void half8x1(int k, float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb,
                                float[] c, int c0, int ldc) {
        FloatVector s0 = FloatVector.fromArray(H, c, c0);
        FloatVector s1 = FloatVector.fromArray(H, c, c0 + ldc);
        FloatVector s2 = FloatVector.fromArray(H, c, c0 + 2 * ldc);
        FloatVector s3 = FloatVector.fromArray(H, c, c0 + 3 * ldc);
        FloatVector s4 = FloatVector.fromArray(H, c, c0 + 4 * ldc);
        FloatVector s5 = FloatVector.fromArray(H, c, c0 + 5 * ldc);
        FloatVector s6 = FloatVector.fromArray(H, c, c0 + 6 * ldc);
        FloatVector s7 = FloatVector.fromArray(H, c, c0 + 7 * ldc);
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            FloatVector v = FloatVector.fromArray(H, b, bp);
            FloatVector x = FloatVector.broadcast(H, a[ap]);
            s0 = v.fma(x, s0);
            x = FloatVector.broadcast(H, a[ap + ars]);
            s1 = v.fma(x, s1);
            x = FloatVector.broadcast(H, a[ap + 2 * ars]);
            s2 = v.fma(x, s2);
            x = FloatVector.broadcast(H, a[ap + 3 * ars]);
            s3 = v.fma(x, s3);
            x = FloatVector.broadcast(H, a[ap + 4 * ars]);
            s4 = v.fma(x, s4);
            x = FloatVector.broadcast(H, a[ap + 5 * ars]);
            s5 = v.fma(x, s5);
            x = FloatVector.broadcast(H, a[ap + 6 * ars]);
            s6 = v.fma(x, s6);
            x = FloatVector.broadcast(H, a[ap + 7 * ars]);
            s7 = v.fma(x, s7);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + ldc);
        s2.intoArray(c, c0 + 2 * ldc);
        s3.intoArray(c, c0 + 3 * ldc);
        s4.intoArray(c, c0 + 4 * ldc);
        s5.intoArray(c, c0 + 5 * ldc);
        s6.intoArray(c, c0 + 6 * ldc);
        s7.intoArray(c, c0 + 7 * ldc);
    }

    private static void half1x1(int k, float[] a, int a0, int acs, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector s = FloatVector.fromArray(H, c, c0);
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            s = FloatVector.fromArray(H, b, bp).fma(FloatVector.broadcast(H, a[ap]), s);
        }
        s.intoArray(c, c0);
    }

    private static void block1x1(int k, float[] a, int a0, int acs, float[] b, int b0, int ldb, float[] c, int c0) {
        FloatVector s = FloatVector.fromArray(S, c, c0);
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            s = FloatVector.fromArray(S, b, bp).fma(FloatVector.broadcast(S, a[ap]), s);
        }
        s.intoArray(c, c0);
    }

    /** {@code dst[j*rows + i] = src[so + i*lds + j]}: transposes a {@code rows x cols} block. */
    static void transpose(float[] src, int so, int lds, int rows, int cols, float[] dst) {
        for (int i = 0; i < rows; i++) {
            int s = so + i * lds;
            for (int j = 0; j < cols; j++) {
                dst[j * rows + i] = src[s + j];
            }
        }
    }
}
