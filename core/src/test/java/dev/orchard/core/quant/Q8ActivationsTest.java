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
        // A block whose scale is exactly 1, so that x / d lands on halves: ties round to even.
        x[5] = 127f;
        for (int j = 1; j < 32; j++) {
            x[5 + j] = (j % 2 == 0 ? 1 : -1) * (j + 0.5f);
        }
        for (int j = 0; j < 32; j++) {
            x[5 + 64 + j] = 0f; // an all-zero block
        }
        // Scale 1 again; 0.49999997 is below the tie and rounds to 0.
        java.util.Arrays.fill(x, 5 + 96, 5 + 128, 0.25f);
        x[5 + 96] = 127f;
        x[5 + 97] = 0.49999997f;
        x[5 + 98] = -0.49999997f;
        x[5 + 99] = 126.5f;
        Q8Activations a = new Q8Activations().quantize(x, 5, cols, vectors, true);
        Q8Activations reference = new Q8Activations().quantizeReference(x, 5, cols, vectors);
        short[] q = reference.q;
        int n = cols * vectors;
        assertThat(java.util.Arrays.copyOf(a.q, n)).containsExactly(java.util.Arrays.copyOf(q, n));
        assertThat(java.util.Arrays.copyOf(a.d, n / 32)).containsExactly(java.util.Arrays.copyOf(reference.d, n / 32));
        assertThat(java.util.Arrays.copyOf(a.q4Low, n / 2)).containsExactly(java.util.Arrays.copyOf(reference.q4Low, n / 2));
        assertThat(java.util.Arrays.copyOf(a.q4Mixed, n / 2))
                .containsExactly(java.util.Arrays.copyOf(reference.q4Mixed, n / 2));
        assertThat(java.util.Arrays.copyOf(a.q4Offset, n / 2))
                .containsExactly(java.util.Arrays.copyOf(reference.q4Offset, n / 2));
        // The Q4_0 layout recombines to the nibble products: check one block by brute force over all weight bytes.
        for (int w = 0; w < 256; w++) {
            for (int j = 0; j < 16; j++) {
                short lane = (short) (w * a.q4Low[j] + (w >>> 4) * a.q4Mixed[j] + a.q4Offset[j]);
                assertThat((int) lane).isEqualTo(((w & 0x0F) - 8) * q[j] + ((w >>> 4) - 8) * q[16 + j]);
            }
        }
        assertThat(q[2]).isEqualTo((short) 2);   // 2.5 -> 2
        assertThat(q[3]).isEqualTo((short) -4);  // -3.5 -> -4
        assertThat(q[1]).isEqualTo((short) -2);  // -1.5 -> -2
        assertThat(q[97]).isEqualTo((short) 0);
        assertThat(q[98]).isEqualTo((short) 0);
        assertThat(q[99]).isEqualTo((short) 126); // 126.5 -> 126
        for (short v : q) {
            assertThat((int) v).isBetween(-127, 127);
        }
    }

    @Test
    void rejectsColumnsThatDoNotFillBlocks() {
        assertThatThrownBy(() -> new Q8Activations().quantize(new float[40], 0, 40, 1, false))
                .hasMessageContaining("divisible by 32");
    }
}
