package dev.orchard.core.quant;

import dev.orchard.core.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The integer kernels of Q8_0 and Q4_0. Two independent checks: against the float reference within the error
 * that rounding the activations to 8 bits can cause (derived per row below), and tightly against a plain
 * emulation of the integer arithmetic (which catches overflow of the 16-bit lanes, e.g. on weight byte -128).
 */
class Int8PathTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /**
     * Bound on |int8 path - float path| for one row: rounding x to {@code d * q} with {@code d = max|x| / 127}
     * moves each element by at most d / 2, so the block's dot product moves by at most {@code d / 2 * sum |w|};
     * plus the float evaluation's own rounding.
     */
    static double activationRoundingBound(EncodedMatrix m, int r, float[] x, int xo) {
        float[] w = new float[m.cols];
        m.rowScalar(r, w, 0);
        double bound = 0;
        for (int b = 0; b < m.cols / 32; b++) {
            double amax = 0;
            double wsum = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[xo + 32 * b + j]));
                wsum += Math.abs(w[32 * b + j]);
            }
            bound += amax / 127 / 2 * wsum;
        }
        return bound * 1.001 + KernelPathsTest.floatTolerance(m, r, x, xo);
    }

    /** The integer arithmetic written out plainly: [value, tolerance]. */
    static double[] emulate(EncodedMatrix m, int r, float[] x, int xo) {
        double sum = 0;
        double mag = 0;
        for (int b = 0; b < m.cols / 32; b++) {
            float amax = 0f;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[xo + 32 * b + j]));
            }
            float dx = amax / 127f;
            float inverse = dx != 0f ? 1f / dx : 0f;
            long block = r * m.rowBytes + (long) b * m.encoding().blockBytes();
            float dw = Float.float16ToFloat(m.data.get(ValueLayout.JAVA_SHORT_UNALIGNED, block));
            long dot = 0;
            long absDot = 0;
            for (int j = 0; j < 32; j++) {
                long qx = (long) Math.rint(x[xo + 32 * b + j] * inverse);
                long qw;
                if (m.encoding() == Encoding.Q8_0) {
                    qw = m.data.get(ValueLayout.JAVA_BYTE, block + 2 + j);
                } else {
                    int packed = m.data.get(ValueLayout.JAVA_BYTE, block + 2 + (j % 16)) & 0xFF;
                    qw = (j < 16 ? packed & 0x0F : packed >>> 4) - 8;
                }
                dot += qw * qx;
                absDot += Math.abs(qw * qx);
            }
            sum += (double) dw * dx * dot;
            mag += Math.abs((double) dw * dx) * absDot;
        }
        return new double[] {sum, 1e-5 * mag + 1e-6};
    }

    /** Both integer encodings on the integer path. */
    static Stream<Arguments> int8Kernels() {
        return Stream.of(Encoding.Q8_0, Encoding.Q4_0).map(e -> Arguments.of(e, KernelPath.VECTOR_INT8));
    }

    @ParameterizedTest
    @MethodSource("int8Kernels")
    void closeToTheFloatReferenceWithinActivationRounding(Encoding encoding, KernelPath path) {
        Random rnd = new Random(3 + encoding.ordinal());
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int rows : new int[] {1, 7, 33}) {
                for (int cols : new int[] {32, 64, 160, 576, 1536}) {
                    WeightMatrix base = WeightMatrices.encode(encoding, KernelPathsTest.random(rnd, rows * cols), rows, cols);
                    EncodedMatrix int8 = KernelPathsTest.unaligned(base, path);
                    float[] x = KernelPathsTest.random(rnd, cols);
                    float[] got = new float[rows];
                    int8.matVec(x, got);
                    for (int r = 0; r < rows; r++) {
                        double[] exact = emulate(int8, r, x, 0);
                        assertThat((double) got[r]).as("%s %dx%d row %d vs emulation", encoding, rows, cols, r)
                                .isCloseTo(exact[0], offset(exact[1]));
                        assertThat((double) got[r]).as("%s %dx%d row %d vs float", encoding, rows, cols, r)
                                .isCloseTo(int8.dotScalar(r, x, 0), offset(activationRoundingBound(int8, r, x, 0)));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("int8Kernels")
    void extremeQuantsDoNotOverflow(Encoding encoding, KernelPath path) {
        Random rnd = new Random(9);
        int rows = 9;
        int cols = 256;
        MemorySegment data = Arena.ofAuto().allocate(rows * encoding.bytesFor(cols));
        byte[] raw = new byte[(int) data.byteSize()];
        rnd.nextBytes(raw);
        MemorySegment.copy(raw, 0, data, ValueLayout.JAVA_BYTE, 0, raw.length);
        int blocks = rows * cols / 32;
        for (int b = 0; b < blocks; b++) {
            long at = (long) b * encoding.blockBytes();
            data.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16(0.01f * (1 + rnd.nextInt(100))));
            if (b % 3 == 0) { // whole blocks at the most negative quant
                for (int j = 2; j < encoding.blockBytes(); j++) {
                    data.set(ValueLayout.JAVA_BYTE, at + j, encoding == Encoding.Q8_0 ? (byte) -128 : (byte) 0);
                }
            } else if (b % 3 == 1) { // and at the most positive (for Q4_0, the largest intermediate 16-bit terms)
                for (int j = 2; j < encoding.blockBytes(); j++) {
                    data.set(ValueLayout.JAVA_BYTE, at + j, encoding == Encoding.Q8_0 ? (byte) 127 : (byte) -1);
                }
            }
        }
        EncodedMatrix m = (EncodedMatrix) WeightMatrices.wrap(encoding, data, rows, cols, path);
        float[] x = new float[cols];
        for (int c = 0; c < cols; c++) {
            x[c] = c % 5 == 0 ? -3f : 3f; // every activation quantizes to +-127
        }
        float[] got = new float[rows];
        m.matVec(x, got);
        for (int r = 0; r < rows; r++) {
            double[] exact = emulate(m, r, x, 0);
            assertThat((double) got[r]).as("%s row %d", encoding, r).isCloseTo(exact[0], offset(exact[1]));
        }
    }

    @ParameterizedTest
    @MethodSource("int8Kernels")
    void bytesReadCountTheFloatScales(Encoding encoding, KernelPath path) {
        int rows = 7;
        int cols = 96;
        WeightMatrix floats = WeightMatrices.encode(encoding, new float[rows * cols], rows, cols, KernelPath.VECTOR_FLOAT);
        WeightMatrix ints = WeightMatrices.encode(encoding, new float[rows * cols], rows, cols, path);
        assertThat(floats.bytesReadPerMatVec()).isEqualTo(floats.byteSize());
        assertThat(ints.bytesReadPerMatVec()).isEqualTo(ints.byteSize() + 4L * rows * (cols / 32));
    }
}
