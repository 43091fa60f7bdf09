package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * GGUF Q4_K rows (block_q4_K in ggml-common.h, 144 bytes per 256 elements): f16 {@code d}, f16 {@code dmin}, 12
 * bytes of 6-bit group scales and mins, 128 bytes of nibbles. Each 32 bytes of nibbles hold 64 elements, two
 * groups of 32: the low nibbles the first group, the high nibbles the second; element = d * scale * q - dmin * min.
 */
final class Q4_KMatrix extends KQuantMatrix {

    Q4_KMatrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q4_K;
    }

    @Override
    void superBlockScalar(long blk, float[] dst, int o) {
        float d = f16(data, blk);
        float min = f16(data, blk + 2);
        for (int c = 0; c < 4; c++) {
            float d1 = d * scaleK4(data, blk + 4, 2 * c);
            float m1 = min * minK4(data, blk + 4, 2 * c);
            float d2 = d * scaleK4(data, blk + 4, 2 * c + 1);
            float m2 = min * minK4(data, blk + 4, 2 * c + 1);
            for (int l = 0; l < 32; l++) {
                int q = u8(data, blk + 16 + 32 * c + l);
                dst[o + 64 * c + l] = d1 * (q & 0xF) - m1;
                dst[o + 64 * c + 32 + l] = d2 * (q >>> 4) - m2;
            }
        }
    }

    @Override
    void superBlock(long blk, float[] dst, int o) {
        MemorySegment seg = data;
        float d = f16(seg, blk);
        float min = f16(seg, blk + 2);
        for (int c = 0; c < 4; c++) {
            FloatVector d1 = FloatVector.broadcast(F, d * scaleK4(seg, blk + 4, 2 * c));
            FloatVector m1 = FloatVector.broadcast(F, min * minK4(seg, blk + 4, 2 * c));
            FloatVector d2 = FloatVector.broadcast(F, d * scaleK4(seg, blk + 4, 2 * c + 1));
            FloatVector m2 = FloatVector.broadcast(F, min * minK4(seg, blk + 4, 2 * c + 1));
            for (int g = 0; g < 32; g += 8) {
                IntVector q = bytes8(seg, blk + 16 + 32 * c + g);
                toFloat(q.and(0xF)).mul(d1).sub(m1).intoArray(dst, o + 64 * c + g);
                toFloat(q.lanewise(VectorOperators.LSHR, 4)).mul(d2).sub(m2).intoArray(dst, o + 64 * c + 32 + g);
            }
        }
    }
}
