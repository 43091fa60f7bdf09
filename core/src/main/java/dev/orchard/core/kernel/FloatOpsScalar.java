package dev.orchard.core.kernel;

/** Plain-loop twins of {@link FloatOps}, the reference its tests compare against. */
public final class FloatOpsScalar {

    private FloatOpsScalar() {
    }

    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) a[ao + i] * b[bo + i];
        }
        return (float) sum;
    }

    public static void rmsNorm(float[] out, int oo, float[] x, int xo, float[] weight, int n, float eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) x[xo + i] * x[xo + i];
        }
        double scale = 1.0 / Math.sqrt(ss / n + eps);
        for (int i = 0; i < n; i++) {
            out[oo + i] = (float) (x[xo + i] * scale * weight[i]);
        }
    }

    public static void softmax(float[] x, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[offset + i]);
        }
        double sum = 0;
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = Math.exp(x[offset + i] - max);
            sum += e[i];
        }
        for (int i = 0; i < n; i++) {
            x[offset + i] = (float) (e[i] / sum);
        }
    }

    public static void swiglu(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            double g = gate[i];
            gate[i] = (float) (g / (1 + Math.exp(-g)) * up[i]);
        }
    }
}
