package dev.orchard.train;

import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static dev.orchard.train.GradCheck.check;
import static dev.orchard.train.GradCheck.project;
import static dev.orchard.train.GradCheck.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every op's backward against central finite differences. */
class OpsGradientTest {

    static final double H = 1e-2;
    static final double TOL = 2e-2;

    @Test
    void gemmMatchesNaiveProductForAllTailsAndStrides() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int[] s : new int[][] {{1, 1, 1}, {5, 17, 3}, {4, 16, 8}, {9, 40, 13}, {13, 7, 70}, {64, 33, 5}}) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transposedA : new boolean[] {false, true}) {
                float[] a = new float[m * k + 3];
                float[] b = new float[k * (n + 2) + 1];
                float[] c = new float[m * (n + 4) + 2];
                for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
                for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian();
                for (int i = 0; i < c.length; i++) c[i] = (float) rng.nextGaussian();
                float[] expected = c.clone();
                int ao = 3, ars = transposedA ? 1 : k, acs = transposedA ? m : 1, bo = 1, ldb = n + 2, co = 2, ldc = n + 4;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += (double) a[ao + i * ars + p * acs] * b[bo + p * ldb + j];
                        }
                        expected[co + i * ldc + j] += (float) sum;
                    }
                }
                Gemm.mulAdd(m, n, k, a, ao, ars, acs, b, bo, ldb, c, co, ldc);
                for (int i = 0; i < c.length; i++) {
                    assertThat(c[i]).as("%dx%dx%d at %d", m, n, k, i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
        }
    }

    @Test
    void embeddingScattersIntoTheTableIncludingRepeatedTokens() {
        Tensor table = random(10, 6, 1, 1);
        int[] tokens = {3, 7, 3, 0, 9};
        check(List.of(table), t -> project(t, Ops.embedding(t, table, tokens)), H, TOL, 100);
        assertThatThrownBy(() -> Ops.embedding(new Tape(), table, new int[] {10}))
                .hasMessageContaining("outside the vocabulary");
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 4})
    void rmsNormOverRowsAndOverHeads(int group) {
        Tensor x = random(5, 12, 1.5, 2);
        Tensor w = random(1, group, 1, 3);
        for (int i = 0; i < w.size(); i++) w.data[i] += 1f;
        check(List.of(x, w), t -> project(t, Ops.rmsNorm(t, x, w, 1e-5f)), H, TOL, 100);
    }

    @Test
    void denseLinear() {
        Tensor x = random(7, 20, 1, 4);
        Tensor w = random(67, 20, 0.3, 5); // more rows than one tile
        check(List.of(x, w), t -> project(t, Ops.linear(t, x, w)), H, TOL, 200);
    }

    @ParameterizedTest
    // The K-quants are read from llama.cpp's files, not encoded; their kernels are tested in core.
    @EnumSource(value = Encoding.class, mode = EnumSource.Mode.EXCLUDE, names = {"Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void frozenLinearOfEveryEncodingEqualsDenseLinearOverItsValues(Encoding e) {
        Tensor x = random(6, 64, 1, 6);
        float[] values = random(70, 64, 0.3, 7).data;
        WeightMatrix w = WeightMatrices.encode(e, values, 70, 64);
        Tensor dense = Tensor.constant(70, 64, w.dequantize());
        Tensor y = Ops.linear(new Tape(), x, w);
        Tensor yDense = Ops.linear(new Tape(), x, dense);
        for (int i = 0; i < y.size(); i++) {
            assertThat(y.data[i]).isCloseTo(yDense.data[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        check(List.of(x), t -> project(t, Ops.linear(t, x, w)), H, TOL, 100);
    }

    @Test
    void loraSidePath() {
        Tensor x = random(5, 16, 1, 8);
        WeightMatrix base = WeightMatrices.encode(Encoding.Q8_0, random(24, 32, 0.3, 9).data, 24, 32);
        Tensor x32 = random(5, 32, 1, 10);
        Tensor a = random(4, 32, 0.3, 11);
        Tensor b = random(24, 4, 0.3, 12);
        check(List.of(x32, a, b), t -> project(t, Ops.axpby(t, 1f, Ops.linear(t, x32, base), 2f,
                Ops.linear(t, Ops.linear(t, x32, a), b))), H, TOL, 100);
        assertThat(x.rows).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void ropeInBothLayouts(boolean adjacent) {
        ModelConfig c = ModelConfig.tiny();
        RopeTable table = new RopeTable(c, 16, adjacent);
        Tensor x = random(9, 2 * c.headDim(), 1, 13);
        check(List.of(x), t -> project(t, Ops.rope(t, x, 2, table)), H, TOL, 300);
        // a rotation keeps each pair's norm
        Tensor y = Ops.rope(new Tape(), x, 2, table);
        double nx = 0, ny = 0;
        for (int i = 0; i < x.size(); i++) {
            nx += x.data[i] * x.data[i];
            ny += y.data[i] * y.data[i];
        }
        assertThat(ny).isCloseTo(nx, org.assertj.core.data.Offset.offset(1e-3 * nx));
    }

    @Test
    void groupedQueryAttentionAcrossBlockBoundaries() {
        int n = 70, heads = 4, kv = 2, hd = 8;
        Tensor q = random(n, heads * hd, 1, 14);
        Tensor k = random(n, kv * hd, 1, 15);
        Tensor v = random(n, kv * hd, 1, 16);
        check(List.of(q, k, v), t -> project(t, Attention.forward(t, q, k, v, heads, kv, hd)), H, TOL, 120);
    }

    @Test
    void attentionIsCausalAndMatchesANaiveSoftmax() {
        int n = 5, heads = 2, kv = 1, hd = 4;
        Tensor q = random(n, heads * hd, 1, 17);
        Tensor k = random(n, kv * hd, 1, 18);
        Tensor v = random(n, kv * hd, 1, 19);
        Tensor o = Attention.forward(new Tape(), q, k, v, heads, kv, hd);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                double[] s = new double[i + 1];
                double max = -1e30, sum = 0;
                for (int j = 0; j <= i; j++) {
                    for (int d = 0; d < hd; d++) s[j] += q.data[i * heads * hd + h * hd + d] * k.data[j * hd + d];
                    s[j] /= Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                for (int j = 0; j <= i; j++) { s[j] = Math.exp(s[j] - max); sum += s[j]; }
                for (int d = 0; d < hd; d++) {
                    double expected = 0;
                    for (int j = 0; j <= i; j++) expected += s[j] / sum * v.data[j * hd + d];
                    assertThat(o.data[i * heads * hd + h * hd + d]).isCloseTo((float) expected, org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void swigluAddMulAxpbyMeanSum() {
        Tensor g = random(4, 9, 2, 20);
        Tensor u = random(4, 9, 1, 21);
        check(List.of(g, u), t -> project(t, Ops.swiglu(t, g, u)), H, TOL, 100);
        check(List.of(g, u), t -> project(t, Ops.add(t, g, u)), H, TOL, 100);
        check(List.of(g, u), t -> project(t, Ops.mul(t, g, u)), H, TOL, 100);
        check(List.of(g, u), t -> project(t, Ops.axpby(t, 0.7f, g, -1.3f, u)), H, TOL, 100);
        check(List.of(g), t -> Ops.mean(t, Ops.mul(t, g, g)), H, TOL, 100);
    }

    @Test
    void crossEntropyWithMaskedPositions() {
        Tensor logits = random(6, 11, 2, 22);
        int[] targets = {3, Losses.IGNORE, 0, 10, Losses.IGNORE, 5};
        check(List.of(logits), t -> Losses.crossEntropy(t, logits, targets, 4.0), H, TOL, 100);
        Tape tape = new Tape();
        tape.backward(Losses.crossEntropy(tape, logits, targets, 4.0));
        for (int j = 0; j < 11; j++) {
            assertThat(logits.grad()[11 + j]).as("masked row gets no gradient").isZero();
        }
        // value: mean NLL over the four counted positions
        double nll = 0;
        double[] lp = new double[11];
        for (int i : new int[] {0, 2, 3, 5}) {
            Losses.logSoftmax(logits.data, i * 11, 11, lp);
            nll -= lp[targets[i]];
        }
        assertThat((double) Losses.crossEntropy(new Tape(), logits, targets, 4.0).item()).isCloseTo(nll / 4, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void klDivergenceToTeacherLogits() {
        Tensor logits = random(5, 9, 2, 23);
        float[] teacher = random(5, 9, 2, 24).data;
        int[] targets = {1, 2, Losses.IGNORE, 4, 5};
        check(List.of(logits), t -> Losses.klDivergence(t, logits, teacher, targets, 3.0), H, TOL, 100);
        // KL of a distribution to itself is zero
        assertThat(Losses.klDivergence(new Tape(), Tensor.constant(5, 9, teacher), teacher, targets, 1.0).item())
                .isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void gatheredLogProbs() {
        Tensor logits = random(5, 9, 2, 25);
        int[] targets = {1, Losses.IGNORE, 3, 8, 0};
        check(List.of(logits), t -> project(t, Losses.gatherLogProbs(t, logits, targets)), H, TOL, 100);
    }
}
