package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * GGUF Q3_K rows (block_q3_K, 110 bytes per 256 elements): 32 bytes of high-bit mask {@code hmask}, 64 bytes of
 * low 2 bits, 12 bytes of 6-bit group scales, f16 {@code d}. The low bits are laid out as in {@link Q2_KMatrix};
 * pass {@code p} (0..7) over them takes bit {@code p} of {@code hmask[l]} (l &lt; 32), and a clear bit subtracts
 * 4; element = d * (scale - 32) * q with q in -4..3.
 */
final class Q3_KMatrix extends KQuantMatrix {

    Q3_KMatrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q3_K;
    }

    /**
     * The 6-bit scale of group {@code g} (0..15) from the 12 bytes at {@code at}: its low nibble in byte
     * {@code g % 8} (low nibble for g &lt; 8, high nibble above), its top 2 bits in byte {@code 8 + g % 4} at bit
     * {@code 2 * (g / 4)} (the unpacking of ggml-quants.c's kmask1/kmask2 words, per group).
     */
    static int scale(MemorySegment seg, long at, int g) {
        int low = (u8(seg, at + g % 8) >>> (g < 8 ? 0 : 4)) & 0xF;
        int high = (u8(seg, at + 8 + g % 4) >>> (2 * (g / 4))) & 3;
        return (low | (high << 4)) - 32;
    }

    @Override
    void superBlockScalar(long blk, float[] dst, int o) {
        float d = f16(data, blk + 108);
        for (int g = 0; g < 16; g++) {
            int n = g / 8;
            int pass = g / 2;          // bit of hmask, 0..7
            int shift = 2 * (pass % 4);
            int half = 16 * (g % 2);   // first or last 16 bytes of the 32
            long q = blk + 32 + 32 * n + half;
            float dl = d * scale(data, blk + 96, g);
            for (int l = 0; l < 16; l++) {
                int low = (u8(data, q + l) >>> shift) & 3;
                int high = (u8(data, blk + half + l) >>> pass) & 1;
                dst[o + 16 * g + l] = dl * (low - (high != 0 ? 0 : 4));
            }
        }
    }

    @Override
    void superBlock(long blk, float[] dst, int o) {
        MemorySegment seg = data;
        float d = f16(seg, blk + 108);
        IntVector h0 = bytes8(seg, blk);
        IntVector h1 = bytes8(seg, blk + 8);
        IntVector h2 = bytes8(seg, blk + 16);
        IntVector h3 = bytes8(seg, blk + 24);
        for (int n = 0; n < 2; n++) {
            long q = blk + 32 + 32 * n;
            IntVector q0 = bytes8(seg, q);
            IntVector q1 = bytes8(seg, q + 8);
            IntVector q2 = bytes8(seg, q + 16);
            IntVector q3 = bytes8(seg, q + 24);
            for (int j = 0; j < 4; j++) {
                int g = 8 * n + 2 * j;
                int pass = 4 * n + j;
                int shift = 2 * j;
                FloatVector d0 = FloatVector.broadcast(F, d * scale(seg, blk + 96, g));
                FloatVector d1 = FloatVector.broadcast(F, d * scale(seg, blk + 96, g + 1));
                int at = o + 16 * g;
                toFloat(value(q0, h0, shift, pass)).mul(d0).intoArray(dst, at);
                toFloat(value(q1, h1, shift, pass)).mul(d0).intoArray(dst, at + 8);
                toFloat(value(q2, h2, shift, pass)).mul(d1).intoArray(dst, at + 16);
                toFloat(value(q3, h3, shift, pass)).mul(d1).intoArray(dst, at + 24);
            }
        }
    }

    /** {@code ((q >> shift) & 3) - 4 + 4 * ((h >> pass) & 1)}: the signed 3-bit value, -4..3. */
    private static IntVector value(IntVector q, IntVector h, int shift, int pass) {
        return q.lanewise(VectorOperators.LSHR, shift).and(3).sub(4)
                .add(h.lanewise(VectorOperators.LSHR, pass).and(1).lanewise(VectorOperators.LSHL, 2));
    }
}
