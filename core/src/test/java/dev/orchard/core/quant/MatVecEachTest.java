package dev.orchard.core.quant;

import dev.orchard.core.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WeightMatrix#matVecEach} must give, bit for bit, what {@link WeightMatrix#matVec} gives for each input on
 * its own: speculative verification and batched decoding rely on it to reproduce plain decoding exactly.
 */
class MatVecEachTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @ParameterizedTest
    @EnumSource(KernelPath.class)
    void eachOutputEqualsItsOwnMatVecBitForBit(KernelPath path) {
        Random rnd = new Random(11);
        for (Encoding encoding : Encoding.values()) {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                int[][] shapes = encoding.blockElements() <= 32
                        ? new int[][] {{1, 32}, {17, 96}, {100, 64}, {37, 576}}
                        : new int[][] {{1, 256}, {17, 512}, {37, 768}};
                for (int[] shape : shapes) {
                    int rows = shape[0];
                    int cols = shape[1];
                    WeightMatrix m = KernelPathsTest.unaligned(KernelPathsTest.randomMatrix(encoding, rnd, rows, cols),
                            path);
                    for (int n : new int[] {1, 2, 5}) {
                        float[] x = KernelPathsTest.random(rnd, n * cols);
                        float[] each = new float[n * rows];
                        m.matVecEach(x, n, each);
                        for (int i = 0; i < n; i++) {
                            float[] single = new float[rows];
                            m.matVec(Arrays.copyOfRange(x, i * cols, (i + 1) * cols), single);
                            float[] got = Arrays.copyOfRange(each, i * rows, (i + 1) * rows);
                            assertThat(got).as("%s %s %d threads %dx%d input %d of %d", encoding, path, threads, rows,
                                    cols, i, n).containsExactly(single);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shortBuffersAreRejected() {
        WeightMatrix m = WeightMatrices.encode(Encoding.Q8_0, new float[64], 2, 32);
        assertThatThrownBy(() -> m.matVecEach(new float[63], 2, new float[4]))
                .hasMessageContaining("2 inputs of 32 need x >= 64");
        assertThatThrownBy(() -> m.matVecEach(new float[64], 2, new float[3]))
                .hasMessageContaining("out >= 4");
    }
}
