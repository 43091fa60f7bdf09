package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * GGUF Q2_K rows (block_q2_K, 84 bytes per 256 elements): 16 bytes of group scale (low nibble) and min (high
 * nibble), 64 bytes of 2-bit quants, f16 {@code d}, f16 {@code dmin}. Each half of 128 elements uses 32 bytes of
 * quants, four times over: pass {@code j} takes bits {@code 2j, 2j+1} of every byte, the first 16 bytes for one
 * group of 16 and the last 16 for the next; element = d * scale * q - dmin * min.
 */
final class Q2_KMatrix extends KQuantMatrix {

    Q2_KMatrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q2_K;
    }

    @Override
    void superBlockScalar(long blk, float[] dst, int o) {
        float d = f16(data, blk + 80);
        float min = f16(data, blk + 82);
        for (int g = 0; g < 16; g++) {
            int n = g / 8;
            int shift = 2 * ((g % 8) / 2);
            long q = blk + 16 + 32 * n + 16 * (g % 2);
            int sc = u8(data, blk + g);
            float dl = d * (sc & 0xF);
            float ml = min * (sc >>> 4);
            for (int l = 0; l < 16; l++) {
                dst[o + 16 * g + l] = dl * ((u8(data, q + l) >>> shift) & 3) - ml;
            }
        }
    }

    @Override
    void superBlock(long blk, float[] dst, int o) {
        MemorySegment seg = data;
        float d = f16(seg, blk + 80);
        float min = f16(seg, blk + 82);
        for (int n = 0; n < 2; n++) {
            long q = blk + 16 + 32 * n;
            IntVector q0 = bytes8(seg, q);
            IntVector q1 = bytes8(seg, q + 8);
            IntVector q2 = bytes8(seg, q + 16);
            IntVector q3 = bytes8(seg, q + 24);
            for (int j = 0; j < 4; j++) {
                int g = 8 * n + 2 * j;
                int sc0 = u8(seg, blk + g);
                int sc1 = u8(seg, blk + g + 1);
                FloatVector d0 = FloatVector.broadcast(F, d * (sc0 & 0xF));
                FloatVector m0 = FloatVector.broadcast(F, min * (sc0 >>> 4));
                FloatVector d1 = FloatVector.broadcast(F, d * (sc1 & 0xF));
                FloatVector m1 = FloatVector.broadcast(F, min * (sc1 >>> 4));
                int at = o + 16 * g;
                int shift = 2 * j;
                toFloat(q0.lanewise(VectorOperators.LSHR, shift).and(3)).mul(d0).sub(m0).intoArray(dst, at);
                toFloat(q1.lanewise(VectorOperators.LSHR, shift).and(3)).mul(d0).sub(m0).intoArray(dst, at + 8);
                toFloat(q2.lanewise(VectorOperators.LSHR, shift).and(3)).mul(d1).sub(m1).intoArray(dst, at + 16);
                toFloat(q3.lanewise(VectorOperators.LSHR, shift).and(3)).mul(d1).sub(m1).intoArray(dst, at + 24);
            }
        }
    }
}
