package dev.orchard.core.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class AttentionTest {

    /** Scores and weighted values against plain double-precision loops over an untransposed copy. */
    @ParameterizedTest
    @CsvSource({"64, 1", "64, 31", "64, 32", "64, 33", "64, 100", "128, 65", "40, 37", "8, 5"})
    void matchesPlainLoops(int headDim, int count) {
        Random rnd = new Random(headDim * 1000 + count);
        int kvHeads = 2;
        int kvDim = kvHeads * headDim;
        int stride = Math.ceilDiv(count, Attention.BLOCK) * Attention.BLOCK;
        float[][] key = new float[count][kvDim];
        float[] keysT = new float[stride * kvDim];
        float[] values = new float[count * kvDim];
        for (int t = 0; t < count; t++) {
            for (int j = 0; j < kvDim; j++) {
                key[t][j] = (float) rnd.nextGaussian();
                keysT[j * stride + t] = key[t][j];
                values[t * kvDim + j] = (float) rnd.nextGaussian();
            }
        }
        float[] q = new float[3 + headDim];
        for (int d = 0; d < q.length; d++) {
            q[d] = (float) rnd.nextGaussian();
        }
        int head = 1;
        float scale = 0.125f;
        float[] scores = new float[stride];
        Attention.scores(q, 3, keysT, head * headDim * stride, stride, headDim, count, scale, scores);
        for (int t = 0; t < count; t++) {
            double expected = 0;
            for (int d = 0; d < headDim; d++) {
                expected += (double) q[3 + d] * key[t][head * headDim + d];
            }
            assertThat((double) scores[t]).as("score %d", t).isCloseTo(expected * scale, offset(1e-4));
        }
        float[] p = new float[count];
        for (int t = 0; t < count; t++) {
            p[t] = rnd.nextFloat();
        }
        float[] out = new float[5 + headDim];
        Attention.weightedValues(p, count, values, head * headDim, kvDim, headDim, out, 5);
        for (int d = 0; d < headDim; d++) {
            double expected = 0;
            for (int t = 0; t < count; t++) {
                expected += (double) p[t] * values[t * kvDim + head * headDim + d];
            }
            assertThat((double) out[5 + d]).as("dim %d", d).isCloseTo(expected, offset(1e-4));
        }
    }
}
