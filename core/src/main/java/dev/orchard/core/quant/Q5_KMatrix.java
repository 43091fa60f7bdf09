package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * GGUF Q5_K rows (block_q5_K, 176 bytes per 256 elements): f16 {@code d}, f16 {@code dmin}, 12 bytes of 6-bit
 * group scales and mins, 32 bytes of fifth bits, 128 bytes of nibbles laid out as in {@link Q4_KMatrix}. Element
 * {@code l} of the 64 in chunk {@code c} takes bit {@code 2c} (first group) or {@code 2c + 1} (second) of
 * {@code qh[l % 32]} as its value's 16s bit; element = d * scale * q - dmin * min with q in 0..31.
 */
final class Q5_KMatrix extends KQuantMatrix {

    Q5_KMatrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q5_K;
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
                int q = u8(data, blk + 48 + 32 * c + l);
                int h = u8(data, blk + 16 + l);
                dst[o + 64 * c + l] = d1 * ((q & 0xF) + ((h >>> (2 * c)) & 1) * 16) - m1;
                dst[o + 64 * c + 32 + l] = d2 * ((q >>> 4) + ((h >>> (2 * c + 1)) & 1) * 16) - m2;
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
                IntVector q = bytes8(seg, blk + 48 + 32 * c + g);
                IntVector h = bytes8(seg, blk + 16 + g);
                IntVector lo = q.and(0xF).or(h.lanewise(VectorOperators.LSHR, 2 * c).and(1).lanewise(VectorOperators.LSHL, 4));
                IntVector hi = q.lanewise(VectorOperators.LSHR, 4)
                        .or(h.lanewise(VectorOperators.LSHR, 2 * c + 1).and(1).lanewise(VectorOperators.LSHL, 4));
                toFloat(lo).mul(d1).sub(m1).intoArray(dst, o + 64 * c + g);
                toFloat(hi).mul(d2).sub(m2).intoArray(dst, o + 64 * c + 32 + g);
            }
        }
    }
}
