package dev.orchard.core.kernel;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** The vector kernels of {@link FloatOps} against their double-precision scalar twins, tails included. */
class FloatOpsTest {

    private static final int[] SIZES = {1, 3, 7, 8, 9, 16, 17, 63, 64, 100, 1536};

    private static float[] random(Random rnd, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    @Test
    void dotAndRmsNorm() {
        Random rnd = new Random(1);
        for (int n : SIZES) {
            float[] a = random(rnd, n + 3, 1);
            float[] b = random(rnd, n + 5, 1);
            double mag = 0;
            for (int i = 0; i < n; i++) {
                mag += Math.abs(a[3 + i] * b[5 + i]);
            }
            assertThat(FloatOps.dot(a, 3, b, 5, n)).isCloseTo(FloatOpsScalar.dot(a, 3, b, 5, n),
                    offset((float) (1e-6 * mag + 1e-7)));
            float[] w = random(rnd, n, 1);
            float[] got = new float[n + 2];
            float[] want = new float[n + 2];
            FloatOps.rmsNorm(got, 2, a, 3, w, n, 1e-5f);
            FloatOpsScalar.rmsNorm(want, 2, a, 3, w, n, 1e-5f);
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isCloseTo(want[i], offset(1e-5f * (1 + Math.abs(want[i]))));
            }
        }
    }

    @Test
    void softmaxSumsToOneAndMatchesTheScalarTwin() {
        Random rnd = new Random(2);
        for (int n : SIZES) {
            float[] got = random(rnd, n + 4, 5);
            got[4] = 80f; // large logits must not overflow
            float[] want = got.clone();
            FloatOps.softmax(got, 4, n);
            FloatOpsScalar.softmax(want, 4, n);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                assertThat(got[4 + i]).as("n %d at %d", n, i).isCloseTo(want[4 + i], offset(2e-6f + 1e-5f * want[4 + i]));
                sum += got[4 + i];
            }
            assertThat(sum).isCloseTo(1.0, offset(1e-5));
            for (int i = 0; i < 4; i++) {
                assertThat(got[i]).isEqualTo(want[i]); // outside the range: untouched
            }
        }
    }

    @Test
    void swigluMatchesTheScalarTwin() {
        Random rnd = new Random(3);
        for (int n : SIZES) {
            float[] gate = random(rnd, n, 4);
            gate[0] = -100f; // silu(-100) underflows to -0, not NaN
            float[] up = random(rnd, n, 1);
            float[] want = gate.clone();
            FloatOps.swiglu(gate, up, n);
            FloatOpsScalar.swiglu(want, up, n);
            for (int i = 0; i < n; i++) {
                assertThat(gate[i]).as("n %d at %d", n, i).isCloseTo(want[i], offset(1e-6f + 1e-5f * Math.abs(want[i])));
            }
        }
    }
}
