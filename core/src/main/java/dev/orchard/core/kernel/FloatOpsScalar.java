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
}
