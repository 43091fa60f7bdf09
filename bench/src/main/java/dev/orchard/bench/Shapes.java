package dev.orchard.bench;

import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.KernelPath;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;

import java.util.SplittableRandom;

/** The SmolLM2-135M shapes and random weights in them, shared by the kernel benchmarks. */
final class Shapes {

    static final int HIDDEN = 576;
    static final int KV = 192;
    static final int FFN = 1536;
    static final int VOCAB = 49152;
    static final int LAYERS = 30;

    /** One layer's matrices in forward order: q, k, v, o, gate, up, down (rows x cols). */
    static final int[][] LAYER = {
            {HIDDEN, HIDDEN}, {KV, HIDDEN}, {KV, HIDDEN}, {HIDDEN, HIDDEN},
            {FFN, HIDDEN}, {FFN, HIDDEN}, {HIDDEN, FFN}};

    /** Read bandwidth measured on the reference 2-core machines (PERFORMANCE.md), bytes per second. */
    static final double ROOFLINE_1T = 22e9;
    static final double ROOFLINE_2T = 38e9;

    private Shapes() {
    }

    /** "RxC" to {rows, cols}. */
    static int[] parse(String shape) {
        String[] parts = shape.split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /** "Q4_0/int8" or "F16" to the encoding and kernel path. */
    static Encoding encoding(String kernel) {
        return Encoding.valueOf(kernel.split("/")[0]);
    }

    static KernelPath path(String kernel) {
        String[] parts = kernel.split("/");
        if (parts.length == 1) {
            return KernelPath.fastest(Encoding.valueOf(parts[0]));
        }
        return switch (parts[1]) {
            case "int8" -> KernelPath.VECTOR_INT8;
            case "float" -> KernelPath.VECTOR_FLOAT;
            case "scalar" -> KernelPath.SCALAR;
            default -> throw new IllegalArgumentException("unknown kernel path in " + kernel);
        };
    }

    /** A random matrix (Gaussian, std 0.02 like initialised weights) in the given encoding. */
    static WeightMatrix random(String kernel, int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] values = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (gaussian(rnd) * 0.02);
        }
        return WeightMatrices.encode(encoding(kernel), values, rows, cols, path(kernel));
    }

    static float[] randomVector(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) gaussian(rnd);
        }
        return v;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Sum of uniforms: cheap, close enough to normal for benchmark data.
        return (rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 2.0) * 1.7320508;
    }
}
