package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
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
 * <p>For {@link Q4_0Matrix} the block is also kept in a second layout, which lets its kernel use each packed
 * weight byte {@code w = lo + 16 * hi} (zero-extended to 16 bits) without masking out the low nibble. With
 * {@code x0} the block's first 16 values (paired with the low nibbles) and {@code x1} its last 16 (the high ones):
 * <pre>
 *   (lo - 8) * x0 + (hi - 8) * x1 = w * x0 + hi * (x1 - 16 * x0) - 8 * (x0 + x1)
 * </pre>
 * so per element the kernel needs {@code x0} ({@link #q4Low}), {@code x1 - 16 * x0} ({@link #q4Mixed}) and
 * {@code -8 * (x0 + x1)} ({@link #q4Offset}). The terms overflow 16 bits but their sum, at most 2 * 8 * 127 in
 * magnitude, does not: 16-bit arithmetic wraps modulo 2^16, so the result is exact.
 *
 * <p>Each thread keeps one instance (see {@link #forCurrentThread}) and reuses it from call to call.
 */
final class Q8Activations {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;

    private static final ThreadLocal<Q8Activations> SCRATCH = ThreadLocal.withInitial(Q8Activations::new);

    /** Quantized values, {@code vectors * cols}. */
    short[] q = new short[0];
    /** Block scales, {@code vectors * cols / 32}. */
    float[] d = new float[0];
    /** Q4_0 layout, 16 per block: the block's first 16 quantized values. */
    short[] q4Low = new short[0];
    /** Q4_0 layout, 16 per block: {@code q[16 + j] - 16 * q[j]}. */
    short[] q4Mixed = new short[0];
    /** Q4_0 layout, 16 per block: {@code -8 * (q[j] + q[16 + j])}, the weights' offset of 8. */
    short[] q4Offset = new short[0];
    int cols;
    int vectors;

    private static final ThreadLocal<Q8Activations[]> BATCH = ThreadLocal.withInitial(() -> new Q8Activations[0]);

    static Q8Activations forCurrentThread() {
        return SCRATCH.get();
    }

    /** This thread's instances for {@code n} vectors quantized one by one (batched decode), at least n of them. */
    static Q8Activations[] batchForCurrentThread(int n) {
        Q8Activations[] batch = BATCH.get();
        if (batch.length < n) {
            Q8Activations[] grown = java.util.Arrays.copyOf(batch, n);
            for (int i = batch.length; i < n; i++) {
                grown[i] = new Q8Activations();
            }
            BATCH.set(grown);
            batch = grown;
        }
        return batch;
    }

    /**
     * Quantizes {@code vectors} vectors of {@code cols} floats stored back to back from {@code x[offset]}; with
     * {@code q4Layout}, also fills the Q4_0 layout ({@link #q4Low}, {@link #q4Mixed}, {@link #q4Offset}).
     */
    Q8Activations quantize(float[] x, int offset, int cols, int vectors, boolean q4Layout) {
        int total = reserve(cols, vectors);
        for (int b = 0; b < total / 32; b++) {
            quantizeBlock(x, offset + b * 32, b * 32, b);
        }
        if (q4Layout) {
            layoutForQ4(total / 32);
        }
        return this;
    }

    /** Sizes the arrays for {@code vectors} vectors of {@code cols} and returns the element count. */
    private int reserve(int cols, int vectors) {
        if (cols % 32 != 0) {
            throw new IllegalArgumentException("8-bit activation blocks need cols divisible by 32, got " + cols);
        }
        int total = Math.multiplyExact(cols, vectors);
        if (q.length < total) {
            q = new short[total];
            d = new float[total / 32];
            q4Low = new short[total / 2];
            q4Mixed = new short[total / 2];
            q4Offset = new short[total / 2];
        }
        this.cols = cols;
        this.vectors = vectors;
        return total;
    }

    /**
     * Fills the Q4_0 layout from {@link #q}, a separate pass in 16-bit lanes (four times faster than deriving it
     * from the 32-bit lanes inside the quantization loop, which also grew that loop past C2's inlining budget).
     */
    private void layoutForQ4(int blocks) {
        for (int b = 0; b < blocks; b++) {
            ShortVector x0 = ShortVector.fromArray(S256, q, 32 * b);
            ShortVector x1 = ShortVector.fromArray(S256, q, 32 * b + 16);
            x0.intoArray(q4Low, 16 * b);
            x1.sub(x0.lanewise(VectorOperators.LSHL, 4)).intoArray(q4Mixed, 16 * b);
            x0.add(x1).lanewise(VectorOperators.LSHL, 3).neg().intoArray(q4Offset, 16 * b);
        }
    }

    private void quantizeBlock(float[] x, int from, int at, int block) {
        FloatVector v0 = FloatVector.fromArray(F, x, from);
        FloatVector v1 = FloatVector.fromArray(F, x, from + 8);
        FloatVector v2 = FloatVector.fromArray(F, x, from + 16);
        FloatVector v3 = FloatVector.fromArray(F, x, from + 24);
        float amax = v0.abs().max(v1.abs()).max(v2.abs().max(v3.abs())).reduceLanes(VectorOperators.MAX);
        float scale = amax / 127f;
        float inverse = scale != 0f ? 1f / scale : 0f;
        quantize8(v0, inverse, at);
        quantize8(v1, inverse, at + 8);
        quantize8(v2, inverse, at + 16);
        quantize8(v3, inverse, at + 24);
        d[block] = scale;
    }

    /**
     * Rounds {@code v * inverse} to the nearest integer, ties to even (as llama.cpp's AVX2 quantizer, which uses
     * {@code _mm256_round_ps}), into {@code q[at .. at + 8)}. Adding 1.5 * 2^23
     * leaves a float whose unit is 1, so the addition itself rounds (to nearest even, the float default) and the
     * integer sits in the low mantissa bits: subtracting the constant's bit pattern reads it off. Exact for
     * |value| < 2^22; here it is at most 127.
     */
    private void quantize8(FloatVector v, float inverse, int at) {
        IntVector rounded = v.mul(inverse).add(ROUNDING_MAGIC).reinterpretAsInts().sub(ROUNDING_MAGIC_BITS);
        ((ShortVector) rounded.convertShape(VectorOperators.I2S, S128, 0)).intoArray(q, at);
    }

    private static final float ROUNDING_MAGIC = 12582912f; // 1.5 * 2^23
    private static final int ROUNDING_MAGIC_BITS = Float.floatToRawIntBits(ROUNDING_MAGIC);

    /** Reference: the same quantization one element at a time, into this instance. */
    Q8Activations quantizeReference(float[] x, int offset, int cols, int vectors) {
        reserve(cols, vectors);
        for (int b = 0; b < cols * vectors / 32; b++) {
            int from = offset + 32 * b;
            float amax = 0f;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[from + j]));
            }
            float scale = amax / 127f;
            float inverse = scale != 0f ? 1f / scale : 0f;
            for (int j = 0; j < 32; j++) {
                q[32 * b + j] = (short) Math.rint(x[from + j] * inverse);
            }
            d[b] = scale;
            for (int j = 0; j < 16; j++) {
                int x0 = q[32 * b + j];
                int x1 = q[32 * b + 16 + j];
                q4Low[16 * b + j] = (short) x0;
                q4Mixed[16 * b + j] = (short) (x1 - 16 * x0);
                q4Offset[16 * b + j] = (short) (-8 * (x0 + x1));
            }
        }
        return this;
    }
}
