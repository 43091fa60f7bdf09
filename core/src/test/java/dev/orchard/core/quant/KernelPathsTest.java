package dev.orchard.core.quant;

import dev.orchard.core.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vector kernels against the scalar reference kernels of the same matrix, on random data over many shapes,
 * thread counts and unaligned storage.
 */
class KernelPathsTest {

    private static final int[] ROWS = {1, 3, 16, 17, 37, 64};
    private static final int[] FLOAT_COLS = {1, 5, 8, 15, 16, 31, 33, 64, 100, 576};
    private static final int[] BLOCK_COLS = {32, 64, 96, 576};
    private static final int[] SUPER_BLOCK_COLS = {256, 512, 768};

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    static int[] colsFor(Encoding e) {
        return e.blockElements() == 1 ? FLOAT_COLS : e.blockElements() == 32 ? BLOCK_COLS : SUPER_BLOCK_COLS;
    }

    /**
     * A random matrix in {@code encoding}: encoded from Gaussian floats where Orchard encodes into it, else (the
     * K-quants) random bytes, which reach every bit pattern, with their f16 scales set to small finite values.
     */
    static WeightMatrix randomMatrix(Encoding encoding, Random rnd, int rows, int cols) {
        if (encoding.encodable()) {
            return WeightMatrices.encode(encoding, random(rnd, rows * cols), rows, cols);
        }
        return WeightMatrices.wrap(encoding, randomSuperBlocks(encoding, rnd, rows * cols / 256), rows, cols);
    }

    /** {@code count} K-quant super-blocks of random bytes with finite f16 scale fields. */
    static MemorySegment randomSuperBlocks(Encoding encoding, Random rnd, int count) {
        int size = encoding.blockBytes();
        byte[] raw = new byte[count * size];
        rnd.nextBytes(raw);
        MemorySegment data = Arena.ofAuto().allocate(raw.length, 8);
        MemorySegment.copy(raw, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, raw.length);
        int[] halves = switch (encoding) {
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q4_K, Q5_K -> new int[] {0, 2};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(encoding + " is not a K-quant");
        };
        for (int b = 0; b < count; b++) {
            for (int at : halves) {
                float v = (float) ((rnd.nextBoolean() ? 1 : -1) * 0.002 * (1 + rnd.nextInt(50)));
                data.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, (long) b * size + at,
                        Float.floatToFloat16(v));
            }
        }
        return data;
    }

    static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    /** The same encoded bytes at an odd address inside a bigger segment, viewed through the given path. */
    static EncodedMatrix unaligned(WeightMatrix m, KernelPath path) {
        EncodedMatrix e = (EncodedMatrix) m;
        MemorySegment holder = Arena.ofAuto().allocate(e.data.byteSize() + 8, 8);
        MemorySegment slice = holder.asSlice(3, e.data.byteSize());
        slice.copyFrom(e.data);
        return (EncodedMatrix) WeightMatrices.wrap(m.encoding(), slice, m.rows(), m.cols(), path);
    }

    /** Tolerance for two float evaluations of the same dot product: a few ulps of the sum of |terms|. */
    static double floatTolerance(EncodedMatrix m, int r, float[] x, int xo) {
        float[] w = new float[m.cols];
        m.rowScalar(r, w, 0);
        double mag = 0;
        for (int c = 0; c < m.cols; c++) {
            mag += Math.abs((double) w[c] * x[xo + c]);
        }
        return 1e-5 * mag + 1e-6;
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void vectorFloatMatVecMatchesScalar(Encoding encoding) {
        Random rnd = new Random(42 + encoding.ordinal());
        for (int threads : new int[] {1, 3}) {
            Parallel.setThreads(threads);
            for (int rows : ROWS) {
                for (int cols : colsFor(encoding)) {
                    WeightMatrix base = randomMatrix(encoding, rnd, rows, cols);
                    EncodedMatrix vector = unaligned(base, KernelPath.VECTOR_FLOAT);
                    EncodedMatrix scalar = unaligned(base, KernelPath.SCALAR);
                    float[] x = random(rnd, cols);
                    float[] got = new float[rows];
                    float[] want = new float[rows];
                    vector.matVec(x, got);
                    scalar.matVec(x, want);
                    for (int r = 0; r < rows; r++) {
                        assertThat((double) got[r]).as("%s %dx%d row %d", encoding, rows, cols, r)
                                .isCloseTo(want[r], org.assertj.core.data.Offset.offset(floatTolerance(scalar, r, x, 0)));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void vectorRowsDequantizeExactlyAsTheScalarReference(Encoding encoding) {
        Random rnd = new Random(7 + encoding.ordinal());
        for (int cols : colsFor(encoding)) {
            int rows = 5;
            EncodedMatrix m = unaligned(randomMatrix(encoding, rnd, rows, cols), KernelPath.VECTOR_FLOAT);
            float[] got = new float[cols + 2];
            float[] want = new float[cols + 2];
            for (int r = 0; r < rows; r++) {
                m.row(r, got, 1);
                m.rowScalar(r, want, 1);
                assertThat(got).as("%s row %d of %d", encoding, r, cols).containsExactly(want);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPath.class)
    void matMulMatchesPerTokenScalarDots(KernelPath path) {
        Random rnd = new Random(11 + path.ordinal());
        Parallel.setThreads(2);
        for (Encoding encoding : Encoding.values()) {
            for (int rows : new int[] {1, 5, 13, 37}) {
                int cols = encoding.blockElements() == 1 ? 45 : encoding.blockElements() == 32 ? 96 : 512;
                EncodedMatrix m = unaligned(randomMatrix(encoding, rnd, rows, cols), path);
                EncodedMatrix scalar = unaligned(m, KernelPath.SCALAR);
                for (int n : new int[] {1, 2, 3, 4, 5, 8, 13}) {
                    float[] x = random(rnd, n * cols);
                    float[] got = new float[n * rows];
                    m.matMul(x, n, got);
                    for (int t = 0; t < n; t++) {
                        for (int r = 0; r < rows; r++) {
                            float want = scalar.dotScalar(r, x, t * cols);
                            double tol = path.int8() && encoding.blockElements() == 32
                                    ? Int8PathTest.activationRoundingBound(scalar, r, x, t * cols)
                                    : floatTolerance(scalar, r, x, t * cols);
                            assertThat((double) got[t * rows + r])
                                    .as("%s %s %dx%d n=%d token %d row %d", path, encoding, rows, cols, n, t, r)
                                    .isCloseTo(want, org.assertj.core.data.Offset.offset(tol));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void bigMatVecAgreesAcrossThreadCounts(int threads) {
        Random rnd = new Random(5);
        int rows = 1000;
        int cols = 576;
        WeightMatrix m = WeightMatrices.encode(Encoding.Q4_0, random(rnd, rows * cols), rows, cols);
        float[] x = random(rnd, cols);
        Parallel.setThreads(1);
        float[] one = new float[rows];
        m.matVec(x, one);
        Parallel.setThreads(threads);
        float[] many = new float[rows];
        for (int repeat = 0; repeat < 50; repeat++) {
            java.util.Arrays.fill(many, Float.NaN);
            m.matVec(x, many);
            // Not bit-exact: the interpreted and compiled Vector API may sum lanes in different orders.
            for (int r = 0; r < rows; r++) {
                assertThat(many[r]).as("row %d", r).isCloseTo(one[r], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }
}
