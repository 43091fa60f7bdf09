package dev.orchard.train;

import dev.orchard.core.quant.WeightMatrix;

/**
 * The fused ops of a Llama-family decoder, each a forward computed now plus a backward recorded on the tape.
 * Shapes are row-major: one row per token. Every op accumulates into its inputs' gradients (never overwrites), so a
 * tensor used twice (tied embeddings, residual streams) sums both contributions.
 */
final class Ops {

    /** Rows of a weight matrix dequantized and transposed at once by the linear kernels. */
    static final int TILE = 64;

    private Ops() {
    }

    private static boolean anyGrad(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && t.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    // ---- embedding ---------------------------------------------------------------------------------------

    /** Rows {@code tokens[i]} of {@code table} ({@code vocab x hidden}); the backward scatters into the table. */
    static Tensor embedding(Tape tape, Tensor table, int[] tokens) {
        int d = table.cols;
        Tensor out = Tensor.zeros(tokens.length, d, table.requiresGrad);
        for (int i = 0; i < tokens.length; i++) {
            checkToken(tokens[i], table.rows);
            System.arraycopy(table.data, tokens[i] * d, out.data, i * d, d);
        }
        if (table.requiresGrad) {
            tape.record(() -> {
                float[] g = table.grad();
                float[] dy = out.grad();
                for (int i = 0; i < tokens.length; i++) {
                    int o = tokens[i] * d;
                    for (int j = 0; j < d; j++) {
                        g[o + j] += dy[i * d + j];
                    }
                }
            });
        }
        return out;
    }

    /** Rows of a frozen encoded embedding, dequantized one at a time; no gradient flows into it. */
    static Tensor embedding(WeightMatrix table, int[] tokens) {
        int d = table.cols();
        Tensor out = Tensor.zeros(tokens.length, d, false);
        for (int i = 0; i < tokens.length; i++) {
            checkToken(tokens[i], table.rows());
            table.row(tokens[i], out.data, i * d);
        }
        return out;
    }

    private static void checkToken(int token, int vocab) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.." + (vocab - 1) + ")");
        }
    }

    // ---- RMSNorm -----------------------------------------------------------------------------------------

    /**
     * RMSNorm over every group of {@code weight.size()} consecutive elements: {@code y = x / rms(x) * w}. With the
     * group equal to a row this is the layer norm; with the group equal to head_dim it is the per-head QK-norm.
     */
    static Tensor rmsNorm(Tape tape, Tensor x, Tensor weight, float eps) {
        int w = weight.size();
        if (x.size() % w != 0) {
            throw new IllegalArgumentException("rmsNorm: " + x + " is not made of groups of " + w);
        }
        int groups = x.size() / w;
        float[] inv = new float[groups];
        Tensor y = Tensor.zeros(x.rows, x.cols, anyGrad(x, weight));
        float[] xs = x.data;
        float[] g = weight.data;
        for (int r = 0; r < groups; r++) {
            int o = r * w;
            double ss = 0;
            for (int j = 0; j < w; j++) {
                ss += (double) xs[o + j] * xs[o + j];
            }
            float s = (float) (1.0 / Math.sqrt(ss / w + eps));
            inv[r] = s;
            for (int j = 0; j < w; j++) {
                y.data[o + j] = xs[o + j] * s * g[j];
            }
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                float[] dx = x.requiresGrad ? x.grad() : null;
                float[] dg = weight.requiresGrad ? weight.grad() : null;
                for (int r = 0; r < groups; r++) {
                    int o = r * w;
                    float s = inv[r];
                    if (dg != null) {
                        for (int j = 0; j < w; j++) {
                            dg[j] += dy[o + j] * xs[o + j] * s;
                        }
                    }
                    if (dx != null) {
                        // dx = s * (dy*g) - x * s^3 / w * sum(dy*g*x)
                        double dot = 0;
                        for (int j = 0; j < w; j++) {
                            dot += (double) dy[o + j] * g[j] * xs[o + j];
                        }
                        float k = (float) (dot * s * s * s / w);
                        for (int j = 0; j < w; j++) {
                            dx[o + j] += s * dy[o + j] * g[j] - xs[o + j] * k;
                        }
                    }
                }
            });
        }
        return y;
    }

    // ---- linear ------------------------------------------------------------------------------------------

    /** {@code y = x W^T} with a dense {@code W} ({@code out x in}, Hugging Face layout) on the tape. */
    static Tensor linear(Tape tape, Tensor x, Tensor w) {
        int n = x.rows;
        int in = w.cols;
        int out = w.rows;
        checkIn(x, in);
        Tensor y = Tensor.zeros(n, out, anyGrad(x, w));
        float[] wt = new float[TILE * in];
        for (int o0 = 0; o0 < out; o0 += TILE) {
            int rows = Math.min(TILE, out - o0);
            Gemm.transpose(w.data, o0 * in, in, rows, in, wt);
            Gemm.mulAdd(n, rows, in, x.data, 0, in, 1, wt, 0, rows, y.data, o0, out);
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                if (x.requiresGrad) {
                    // dX += dY W
                    Gemm.mulAdd(n, in, out, dy, 0, out, 1, w.data, 0, in, x.grad(), 0, in);
                }
                if (w.requiresGrad) {
                    // dW += dY^T X
                    Gemm.mulAdd(out, in, n, dy, 0, 1, out, x.data, 0, in, w.grad(), 0, in);
                }
            });
        }
        return y;
    }

    /**
     * {@code y = x W^T} with a frozen {@code W} in any encoding. Both directions dequantize {@link #TILE} rows at a
     * time into a small buffer, so no dense copy of the matrix (or the model) ever exists.
     */
    static Tensor linear(Tape tape, Tensor x, WeightMatrix w) {
        int n = x.rows;
        int in = w.cols();
        int out = w.rows();
        checkIn(x, in);
        Tensor y = Tensor.zeros(n, out, x.requiresGrad);
        float[] tile = new float[TILE * in];
        float[] wt = new float[TILE * in];
        for (int o0 = 0; o0 < out; o0 += TILE) {
            int rows = Math.min(TILE, out - o0);
            for (int r = 0; r < rows; r++) {
                w.row(o0 + r, tile, r * in);
            }
            Gemm.transpose(tile, 0, in, rows, in, wt);
            Gemm.mulAdd(n, rows, in, x.data, 0, in, 1, wt, 0, rows, y.data, o0, out);
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                float[] dx = x.grad();
                float[] buf = new float[TILE * in];
                for (int o0 = 0; o0 < out; o0 += TILE) {
                    int rows = Math.min(TILE, out - o0);
                    for (int r = 0; r < rows; r++) {
                        w.row(o0 + r, buf, r * in);
                    }
                    Gemm.mulAdd(n, in, rows, dy, o0, out, 1, buf, 0, in, dx, 0, in);
                }
            });
        }
        return y;
    }

    private static void checkIn(Tensor x, int in) {
        if (x.cols != in) {
            throw new IllegalArgumentException("linear: input has " + x.cols + " features, weight expects " + in);
        }
    }

    // ---- element-wise ------------------------------------------------------------------------------------

    /** {@code a + b} (same shapes). */
    static Tensor add(Tape tape, Tensor a, Tensor b) {
        sameShape(a, b, "add");
        Tensor y = Tensor.zeros(a.rows, a.cols, anyGrad(a, b));
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = a.data[i] + b.data[i];
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                if (a.requiresGrad) {
                    accumulate(a.grad(), dy, 1f);
                }
                if (b.requiresGrad) {
                    accumulate(b.grad(), dy, 1f);
                }
            });
        }
        return y;
    }

    /** {@code alpha * a + beta * b}: weighted sums of losses, LoRA's scaled side path. */
    static Tensor axpby(Tape tape, float alpha, Tensor a, float beta, Tensor b) {
        sameShape(a, b, "axpby");
        Tensor y = Tensor.zeros(a.rows, a.cols, anyGrad(a, b));
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = alpha * a.data[i] + beta * b.data[i];
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                if (a.requiresGrad) {
                    accumulate(a.grad(), dy, alpha);
                }
                if (b.requiresGrad) {
                    accumulate(b.grad(), dy, beta);
                }
            });
        }
        return y;
    }

    /** Element-wise {@code a * b} (masks, advantages, per-token weights). */
    static Tensor mul(Tape tape, Tensor a, Tensor b) {
        sameShape(a, b, "mul");
        Tensor y = Tensor.zeros(a.rows, a.cols, anyGrad(a, b));
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = a.data[i] * b.data[i];
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                float[] da = a.requiresGrad ? a.grad() : null;
                float[] db = b.requiresGrad ? b.grad() : null;
                for (int i = 0; i < dy.length; i++) {
                    if (da != null) {
                        da[i] += dy[i] * b.data[i];
                    }
                    if (db != null) {
                        db[i] += dy[i] * a.data[i];
                    }
                }
            });
        }
        return y;
    }

    /** SwiGLU: {@code silu(gate) * up}. */
    static Tensor swiglu(Tape tape, Tensor gate, Tensor up) {
        sameShape(gate, up, "swiglu");
        int n = gate.size();
        Tensor y = Tensor.zeros(gate.rows, gate.cols, anyGrad(gate, up));
        float[] sig = new float[n];
        for (int i = 0; i < n; i++) {
            float g = gate.data[i];
            float s = (float) (1.0 / (1.0 + Math.exp(-g)));
            sig[i] = s;
            y.data[i] = g * s * up.data[i];
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                float[] dg = gate.requiresGrad ? gate.grad() : null;
                float[] du = up.requiresGrad ? up.grad() : null;
                for (int i = 0; i < n; i++) {
                    float g = gate.data[i];
                    float s = sig[i];
                    if (du != null) {
                        du[i] += dy[i] * g * s;
                    }
                    if (dg != null) {
                        dg[i] += dy[i] * up.data[i] * s * (1f + g * (1f - s));
                    }
                }
            });
        }
        return y;
    }

    /** RoPE on {@code heads} heads per row, row {@code i} at position {@code i}. */
    static Tensor rope(Tape tape, Tensor x, int heads, RopeTable table) {
        if (x.cols != heads * table.headDim) {
            throw new IllegalArgumentException("rope: rows of " + x.cols + " are not " + heads + " heads of " + table.headDim);
        }
        if (x.rows > table.maxPositions) {
            throw new IllegalArgumentException("rope: " + x.rows + " positions exceed the table's " + table.maxPositions);
        }
        Tensor y = Tensor.zeros(x.rows, x.cols, x.requiresGrad);
        for (int i = 0; i < x.rows; i++) {
            table.rotate(x.data, y.data, i * x.cols, heads, i, 1f);
        }
        if (y.requiresGrad) {
            tape.record(() -> {
                float[] dy = y.grad();
                float[] back = new float[x.cols];
                float[] dx = x.grad();
                for (int i = 0; i < x.rows; i++) {
                    int o = i * x.cols;
                    // The rotation is orthogonal: its transpose is the rotation by the opposite angle.
                    float[] row = java.util.Arrays.copyOfRange(dy, o, o + x.cols);
                    table.rotate(row, back, 0, heads, i, -1f);
                    for (int j = 0; j < x.cols; j++) {
                        dx[o + j] += back[j];
                    }
                }
            });
        }
        return y;
    }

    /** The sum of all elements, a 1x1 tensor. */
    static Tensor sum(Tape tape, Tensor x) {
        double s = 0;
        for (float v : x.data) {
            s += v;
        }
        Tensor y = new Tensor(1, 1, new float[] {(float) s}, null, x.requiresGrad);
        if (y.requiresGrad) {
            tape.record(() -> {
                float dy = y.grad()[0];
                float[] dx = x.grad();
                for (int i = 0; i < dx.length; i++) {
                    dx[i] += dy;
                }
            });
        }
        return y;
    }

    /** The mean of all elements, a 1x1 tensor. */
    static Tensor mean(Tape tape, Tensor x) {
        Tensor s = sum(tape, x);
        Tensor zero = Tensor.constant(1, 1, new float[1]);
        return axpby(tape, 1f / x.size(), s, 0f, zero);
    }

    static void accumulate(float[] dst, float[] src, float alpha) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] += alpha * src[i];
        }
    }

    private static void sameShape(Tensor a, Tensor b, String op) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException(op + ": shapes differ, " + a + " and " + b);
        }
    }
}
