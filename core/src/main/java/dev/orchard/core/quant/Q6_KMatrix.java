package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * GGUF Q6_K rows (block_q6_K, 210 bytes per 256 elements): 128 bytes of low nibbles {@code ql}, 64 bytes of high
 * 2-bit pairs {@code qh}, 16 signed 8-bit group scales, f16 {@code d}. Each half of 128 elements uses 64 bytes of
 * {@code ql} and 32 of {@code qh}: element {@code l + 32k} (l &lt; 32, k &lt; 4) takes the low (k even) or high
 * (k odd) nibble of {@code ql[l + 32 (k & 1)]} and bits {@code 2k, 2k+1} of {@code qh[l]}; element =
 * d * scale * (q - 32), with the scale of its group of 16.
 */
final class Q6_KMatrix extends KQuantMatrix {

    Q6_KMatrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q6_K;
    }

    /** ggml's {@code d * sc[is] * q}: (d * scale) first, then times q, in float. */
    @Override
    void superBlockScalar(long blk, float[] dst, int o) {
        float d = f16(data, blk + 208);
        for (int n = 0; n < 2; n++) {
            long ql = blk + 64 * n;
            long qh = blk + 128 + 32 * n;
            long sc = blk + 192 + 8 * n;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int a = u8(data, ql + l);
                int b = u8(data, ql + l + 32);
                int h = u8(data, qh + l);
                int o0 = o + 128 * n + l;
                dst[o0] = d * data.get(I8, sc + is) * (((a & 0xF) | ((h & 3) << 4)) - 32);
                dst[o0 + 32] = d * data.get(I8, sc + is + 2) * (((b & 0xF) | (((h >>> 2) & 3) << 4)) - 32);
                dst[o0 + 64] = d * data.get(I8, sc + is + 4) * (((a >>> 4) | (((h >>> 4) & 3) << 4)) - 32);
                dst[o0 + 96] = d * data.get(I8, sc + is + 6) * (((b >>> 4) | (((h >>> 6) & 3) << 4)) - 32);
            }
        }
    }

    @Override
    void superBlock(long blk, float[] dst, int o) {
        MemorySegment seg = data;
        float d = f16(seg, blk + 208);
        for (int n = 0; n < 2; n++) {
            long ql = blk + 64 * n;
            long qh = blk + 128 + 32 * n;
            long sc = blk + 192 + 8 * n;
            for (int l = 0; l < 32; l += 8) {
                int is = l / 16;
                IntVector a = bytes8(seg, ql + l);
                IntVector b = bytes8(seg, ql + l + 32);
                IntVector h = bytes8(seg, qh + l);
                int o0 = o + 128 * n + l;
                IntVector q1 = a.and(0xF).or(h.and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
                IntVector q2 = b.and(0xF).or(h.and(0xC).lanewise(VectorOperators.LSHL, 2)).sub(32);
                IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30)).sub(32);
                IntVector q4 = b.lanewise(VectorOperators.LSHR, 4).or(h.and(0xC0).lanewise(VectorOperators.LSHR, 2)).sub(32);
                toFloat(q1).mul(d * seg.get(I8, sc + is)).intoArray(dst, o0);
                toFloat(q2).mul(d * seg.get(I8, sc + is + 2)).intoArray(dst, o0 + 32);
                toFloat(q3).mul(d * seg.get(I8, sc + is + 4)).intoArray(dst, o0 + 64);
                toFloat(q4).mul(d * seg.get(I8, sc + is + 6)).intoArray(dst, o0 + 96);
            }
        }
    }
}
