package dev.orchard.core.quant;

import dev.orchard.core.kernel.FloatOps;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Shared frame of llama.cpp's K-quants: rows of super-blocks of 256 elements (ggml-common.h's {@code QK_K}), each
 * decoded by the encoding's own class. A subclass supplies the reference decoding of one super-block (written
 * after ggml-quants.c's {@code dequantize_row_*_K}, with the same float operations in the same order, so that
 * Orchard's dequantized values equal llama.cpp's bit for bit) and its vectorized twin.
 *
 * <p>The float mat-vec decodes one super-block at a time into a 256-float buffer that stays in L1 and multiplies
 * it with the activations. Encodings whose layout allows it override {@link #dotRows} with a fused kernel.
 */
abstract class KQuantMatrix extends EncodedMatrix {

    static final int QK = 256;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    final int superBlocks;
    final int blockBytes;

    KQuantMatrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
        this.superBlocks = cols / QK;
        this.blockBytes = encoding().blockBytes();
    }

    /** Reference: the 256 values of the super-block at byte {@code blk} into {@code dst[o .. o + 256)}. */
    abstract void superBlockScalar(long blk, float[] dst, int o);

    /** Vectorized: exactly the values of {@link #superBlockScalar}. */
    abstract void superBlock(long blk, float[] dst, int o);

    @Override
    void rowScalar(int r, float[] dst, int offset) {
        long base = r * rowBytes;
        for (int b = 0; b < superBlocks; b++) {
            superBlockScalar(base + (long) b * blockBytes, dst, offset + b * QK);
        }
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        long base = r * rowBytes;
        for (int b = 0; b < superBlocks; b++) {
            superBlock(base + (long) b * blockBytes, dst, offset + b * QK);
        }
    }

    /** Reference dot product: the row dequantized by the reference, then summed one product at a time. */
    @Override
    float dotScalar(int r, float[] x, int xOffset) {
        float[] w = new float[QK];
        long base = r * rowBytes;
        float sum = 0f;
        for (int b = 0; b < superBlocks; b++) {
            superBlockScalar(base + (long) b * blockBytes, w, 0);
            for (int j = 0; j < QK; j++) {
                sum += w[j] * x[xOffset + b * QK + j];
            }
        }
        return sum;
    }

    /**
     * Float path: each super-block decoded into a buffer of 256 floats (1 KiB, in L1), then multiplied with the
     * activations by four independent accumulators.
     */
    @Override
    void dotRows(int start, int end, float[] x, int xOffset, float[] out, int outOffset) {
        float[] w = scratch(SCRATCH_DOT, QK);
        for (int r = start; r < end; r++) {
            long base = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            for (int b = 0; b < superBlocks; b++) {
                superBlock(base + (long) b * blockBytes, w, 0);
                int xb = xOffset + b * QK;
                for (int j = 0; j < QK; j += 32) {
                    acc0 = FloatVector.fromArray(F, w, j).fma(FloatVector.fromArray(F, x, xb + j), acc0);
                    acc1 = FloatVector.fromArray(F, w, j + 8).fma(FloatVector.fromArray(F, x, xb + j + 8), acc1);
                    acc2 = FloatVector.fromArray(F, w, j + 16).fma(FloatVector.fromArray(F, x, xb + j + 16), acc2);
                    acc3 = FloatVector.fromArray(F, w, j + 24).fma(FloatVector.fromArray(F, x, xb + j + 24), acc3);
                }
            }
            out[outOffset + r] = FloatOps.sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        }
    }

    /** Eight bytes from {@code at}, zero-extended to eight int lanes. */
    static IntVector bytes8(MemorySegment seg, long at) {
        return (IntVector) ByteVector.fromMemorySegment(B64, seg, at, LE)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I256, 0);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    static float f16(MemorySegment seg, long at) {
        return Float.float16ToFloat(seg.get(I16, at));
    }

    static int u8(MemorySegment seg, long at) {
        return seg.get(I8, at) & 0xFF;
    }

    /**
     * The 6-bit scale of group {@code j} (0..7) of Q4_K/Q5_K, packed in the 12 bytes at {@code at}: groups 0-3 in
     * the low 6 bits of bytes 0-3, groups 4-7 split between a nibble of bytes 8-11 and the top 2 bits of bytes 0-3
     * (ggml-quants.c's get_scale_min_k4).
     */
    static int scaleK4(MemorySegment seg, long at, int j) {
        return j < 4 ? u8(seg, at + j) & 63 : (u8(seg, at + j + 4) & 0xF) | ((u8(seg, at + j - 4) >>> 6) << 4);
    }

    /** The 6-bit min of group {@code j} (0..7) of Q4_K/Q5_K, beside {@link #scaleK4}. */
    static int minK4(MemorySegment seg, long at, int j) {
        return j < 4 ? u8(seg, at + j + 4) & 63 : (u8(seg, at + j + 4) >>> 4) | ((u8(seg, at + j) >>> 6) << 4);
    }
}
