package dev.orchard.core.quant;

/**
 * Activation vectors quantized to 8-bit blocks of 32 for the integer dot products of {@link Q8_0Matrix} and
 * {@link Q4_0Matrix}, as llama.cpp does before every quantized mat-mul: per block of 32 values
 * {@code d = max|x| / 127}, {@code q = round(x / d)}, so {@code x ~ d * q} with {@code |q| <= 127}.
 *
 * <p>The quantized values are kept widened to {@code short} because the kernels multiply them as 16-bit
 * lanes. Unlike llama.cpp, the block scale stays a float (llama.cpp rounds it to f16), which is closer to the
 * float result. The error this adds is the activation's rounding: at most {@code d / 2} per element, i.e. a
 * relative error of about {@code 1 / 254} of the block's largest value, on top of the weights' own.
 *
 * <p>Each thread keeps one instance (see {@link #forCurrentThread}) and reuses it from call to call.
 */
final class Q8Activations {

    private static final ThreadLocal<Q8Activations> SCRATCH = ThreadLocal.withInitial(Q8Activations::new);

    /** Quantized values, {@code vectors * cols}. */
    short[] q = new short[0];
    /** Block scales, {@code vectors * cols / 32}. */
    float[] d = new float[0];
    /** Per block: {@code 8 * d * sum(q)}, the term Q4_0's offset of 8 contributes (see Q4_0Matrix). */
    float[] offsetTerm = new float[0];
    int cols;
    int vectors;

    static Q8Activations forCurrentThread() {
        return SCRATCH.get();
    }

    /** Quantizes {@code vectors} vectors of {@code cols} floats stored back to back from {@code x[offset]}. */
    Q8Activations quantize(float[] x, int offset, int cols, int vectors) {
        if (cols % 32 != 0) {
            throw new IllegalArgumentException("8-bit activation blocks need cols divisible by 32, got " + cols);
        }
        int total = Math.multiplyExact(cols, vectors);
        if (q.length < total) {
            q = new short[total];
            d = new float[total / 32];
            offsetTerm = new float[total / 32];
        }
        this.cols = cols;
        this.vectors = vectors;
        for (int b = 0; b < total / 32; b++) {
            quantizeBlock(x, offset + b * 32, b * 32, b);
        }
        return this;
    }

    private void quantizeBlock(float[] x, int from, int at, int block) {
        float amax = 0f;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[from + j]));
        }
        float scale = amax / 127f;
        float inverse = scale != 0f ? 1f / scale : 0f;
        int sum = 0;
        for (int j = 0; j < 32; j++) {
            int v = Quantizer.roundHalfAway(x[from + j] * inverse);
            q[at + j] = (short) v;
            sum += v;
        }
        d[block] = scale;
        offsetTerm[block] = 8f * scale * sum;
    }
}
