package dev.orchard.core.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Encodes floats into each {@link Encoding}, with the same rounding rules as llama.cpp's reference quantizers
 * (quantize_row_q8_0_ref / quantize_row_q4_0_ref) so files we write match files it writes.
 */
public final class Quantizer {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private Quantizer() {
    }

    /** Encodes {@code count} floats from {@code src[srcOffset..]} into {@code dst} at byte {@code dstOffset}. */
    public static void encode(Encoding encoding, float[] src, int srcOffset, long count, MemorySegment dst, long dstOffset) {
        int n = Math.toIntExact(count);
        switch (encoding) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    dst.set(F32, dstOffset + 4L * i, src[srcOffset + i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst.set(I16, dstOffset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst.set(I16, dstOffset + 2L * i, floatToBf16(src[srcOffset + i]));
                }
            }
            case Q8_0 -> {
                encoding.bytesFor(n);
                for (int b = 0; b < n / 32; b++) {
                    quantizeQ8_0Block(src, srcOffset + b * 32, dst, dstOffset + 34L * b);
                }
            }
            case Q4_0 -> {
                encoding.bytesFor(n);
                for (int b = 0; b < n / 32; b++) {
                    quantizeQ4_0Block(src, srcOffset + b * 32, dst, dstOffset + 18L * b);
                }
            }
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> throw new IllegalArgumentException("Orchard reads " + encoding
                    + " from GGUF files but does not encode into it; quantize with llama.cpp's llama-quantize, or"
                    + " choose one of F32, F16, BF16, Q8_0, Q4_0");
        }
    }

    /** Round-to-nearest-even bfloat16, NaN kept quiet (as PyTorch converts). */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** C's roundf: halves round away from zero (Math.round rounds them up). */
    static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v); // in double: 0.49999997f + 0.5f rounds to 1 in float
    }

    static void quantizeQ8_0Block(float[] x, int offset, MemorySegment dst, long at) {
        float amax = 0f;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[offset + j]));
        }
        float d = amax / 127f;
        float id = d != 0f ? 1f / d : 0f;
        dst.set(I16, at, Float.floatToFloat16(d));
        for (int j = 0; j < 32; j++) {
            dst.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) roundHalfAway(x[offset + j] * id));
        }
    }

    static void quantizeQ4_0Block(float[] x, int offset, MemorySegment dst, long at) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < 32; j++) {
            float v = x[offset + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0f ? 1f / d : 0f;
        dst.set(I16, at, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[offset + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[offset + j + 16] * id + 8.5f));
            dst.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) (lo | (hi << 4)));
        }
    }
}
