package dev.orchard.core.quant;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Q8ActivationsTest {

    @Test
    void vectorQuantizationIsBitForBitTheScalarOne() {
        Random rnd = new Random(2);
        int cols = 256;
        int vectors = 3;
        float[] x = new float[cols * vectors + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        }
        // A block whose scale is exactly 1, so that x / d lands on halves: ties must round away from zero.
        x[5] = 127f;
        for (int j = 1; j < 32; j++) {
            x[5 + j] = (j % 2 == 0 ? 1 : -1) * (j + 0.5f);
        }
        for (int j = 0; j < 32; j++) {
            x[5 + 64 + j] = 0f; // an all-zero block
        }
        // Scale 1 again; 0.49999997 + 0.5 rounds to 1 in float, but roundf(0.49999997) is 0.
        java.util.Arrays.fill(x, 5 + 96, 5 + 128, 0.25f);
        x[5 + 96] = 127f;
        x[5 + 97] = 0.49999997f;
        x[5 + 98] = -0.49999997f;
        x[5 + 99] = 126.5f;
        Q8Activations a = new Q8Activations().quantize(x, 5, cols, vectors);
        short[] q = new short[cols * vectors];
        float[] d = new float[cols * vectors / 32];
        float[] offsetTerm = new float[d.length];
        for (int b = 0; b < d.length; b++) {
            Q8Activations.quantizeScalar(x, 5 + 32 * b, q, 32 * b, d, offsetTerm, b);
        }
        assertThat(java.util.Arrays.copyOf(a.q, q.length)).containsExactly(q);
        assertThat(java.util.Arrays.copyOf(a.d, d.length)).containsExactly(d);
        assertThat(java.util.Arrays.copyOf(a.offsetTerm, d.length)).containsExactly(offsetTerm);
        assertThat(q[2]).isEqualTo((short) 3);   // 2.5 -> 3
        assertThat(q[1]).isEqualTo((short) -2);  // -1.5 -> -2
        assertThat(q[97]).isEqualTo((short) 0);
        assertThat(q[98]).isEqualTo((short) 0);
        assertThat(q[99]).isEqualTo((short) 127); // 126.5 -> 127
        for (short v : q) {
            assertThat((int) v).isBetween(-127, 127);
        }
    }

    @Test
    void rejectsColumnsThatDoNotFillBlocks() {
        assertThatThrownBy(() -> new Q8Activations().quantize(new float[40], 0, 40, 1))
                .hasMessageContaining("divisible by 32");
    }
}
