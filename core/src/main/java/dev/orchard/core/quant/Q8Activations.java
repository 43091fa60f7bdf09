package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;

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
        FloatVector v0 = FloatVector.fromArray(F, x, from);
        FloatVector v1 = FloatVector.fromArray(F, x, from + 8);
        FloatVector v2 = FloatVector.fromArray(F, x, from + 16);
        FloatVector v3 = FloatVector.fromArray(F, x, from + 24);
        float amax = v0.abs().max(v1.abs()).max(v2.abs().max(v3.abs())).reduceLanes(VectorOperators.MAX);
        float scale = amax / 127f;
        float inverse = scale != 0f ? 1f / scale : 0f;
        IntVector sum = quantize8(v0, inverse, at);
        sum = sum.add(quantize8(v1, inverse, at + 8));
        sum = sum.add(quantize8(v2, inverse, at + 16));
        sum = sum.add(quantize8(v3, inverse, at + 24));
        d[block] = scale;
        offsetTerm[block] = 8f * scale * sum.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Rounds {@code v * inverse} half away from zero (C's roundf, as llama.cpp) into {@code q[at .. at + 8)} and
     * returns the rounded values. Truncate, then step one away from zero where the dropped fraction (exact in
     * float) is at least one half; adding 0.5 before truncating would be wrong for 0.49999997, whose sum with 0.5
     * rounds up to 1 in float.
     */
    private IntVector quantize8(FloatVector v, float inverse, int at) {
        FloatVector scaled = v.mul(inverse);
        IntVector truncated = (IntVector) scaled.convert(VectorOperators.F2I, 0);
        FloatVector fraction = scaled.sub((FloatVector) truncated.convert(VectorOperators.I2F, 0));
        VectorMask<Integer> up = fraction.compare(VectorOperators.GE, 0.5f).cast(I);
        VectorMask<Integer> down = fraction.compare(VectorOperators.LE, -0.5f).cast(I);
        IntVector rounded = truncated.add(1, up).sub(1, down);
        ((ShortVector) rounded.convertShape(VectorOperators.I2S, S128, 0)).intoArray(q, at);
        return rounded;
    }

    /** Reference: the same quantization one element at a time. */
    static void quantizeScalar(float[] x, int from, short[] q, int at, float[] d, float[] offsetTerm, int block) {
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
