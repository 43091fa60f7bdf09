package dev.orchard.core.quant;

import dev.orchard.core.kernel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class FusedMatVecTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void severalMatricesWithOneInputGiveTheSameAsOneByOne() {
        Random rnd = new Random(4);
        Parallel.setThreads(2);
        int cols = 192;
        int[] rows = {192, 64, 64, 17};
        Encoding[] encodings = {Encoding.Q8_0, Encoding.Q4_0, Encoding.F16, Encoding.Q4_0};
        WeightMatrix[] ms = new WeightMatrix[rows.length];
        float[][] fused = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            ms[i] = WeightMatrices.encode(encodings[i], KernelPathsTest.random(rnd, rows[i] * cols), rows[i], cols);
            fused[i] = new float[rows[i]];
        }
        float[] x = KernelPathsTest.random(rnd, cols);
        WeightMatrices.matVec(x, ms, fused);
        for (int i = 0; i < rows.length; i++) {
            float[] single = new float[rows[i]];
            ms[i].matVec(x, single);
            for (int r = 0; r < rows[i]; r++) {
                assertThat(fused[i][r]).as("matrix %d row %d", i, r).isCloseTo(single[r], offset(1e-4f));
            }
        }
    }

    @Test
    void mismatchedArgumentsAreRejected() {
        WeightMatrix m = WeightMatrices.encode(Encoding.F32, new float[64], 2, 32);
        assertThatThrownBy(() -> WeightMatrices.matVec(new float[32], new WeightMatrix[] {m}, new float[0][]))
                .hasMessageContaining("1 matrices but 0 outputs");
        assertThatThrownBy(() -> WeightMatrices.matVec(new float[31], new WeightMatrix[] {m}, new float[][] {new float[2]}))
                .hasMessageContaining("needs x >= 32");
    }
}
