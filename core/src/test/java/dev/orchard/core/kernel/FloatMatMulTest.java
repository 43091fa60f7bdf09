package dev.orchard.core.kernel;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class FloatMatMulTest {

    @Test
    void rowTileMatchesTheScalarTwin() {
        Random rnd = new Random(1);
        for (int tileRows : new int[] {1, 3, 4, 5, 8}) {
            for (int k : new int[] {1, 7, 8, 9, 64, 100}) {
                for (int n : new int[] {1, 2, 3, 6}) {
                    float[] w = new float[tileRows * k];
                    float[] x = new float[n * k];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = (float) rnd.nextGaussian();
                    }
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextGaussian();
                    }
                    int stride = tileRows + 3;
                    float[] got = new float[n * stride + 2];
                    float[] want = new float[n * stride + 2];
                    FloatMatMul.rowTile(w, tileRows, k, x, n, got, stride, 2);
                    FloatMatMul.rowTileScalar(w, tileRows, k, x, n, want, stride, 2);
                    for (int i = 0; i < got.length; i++) {
                        assertThat(got[i]).as("rows %d k %d n %d at %d", tileRows, k, n, i)
                                .isCloseTo(want[i], offset(1e-4f * k));
                    }
                }
            }
        }
    }
}
