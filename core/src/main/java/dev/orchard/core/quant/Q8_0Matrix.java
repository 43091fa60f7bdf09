package dev.orchard.core.quant;

import dev.orchard.core.kernel.FloatOps;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** GGUF Q8_0 rows: blocks of 32 signed bytes with one f16 scale each. */
final class Q8_0Matrix extends EncodedMatrix {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    Q8_0Matrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q8_0;
    }

    @Override
    float dotScalar(int r, float[] x, int xOffset) {
        long base = r * rowBytes;
        float sum = 0f;
        for (int b = 0; b < cols / 32; b++) {
            long block = base + 34L * b;
            float d = Float.float16ToFloat(data.get(I16, block));
            float blockSum = 0f;
            for (int j = 0; j < 32; j++) {
                blockSum += data.get(ValueLayout.JAVA_BYTE, block + 2 + j) * x[xOffset + b * 32 + j];
            }
            sum += d * blockSum;
        }
        return sum;
    }

    /** Float path: each block's bytes widened to four float vectors. */
    @Override
    void dotRows(int start, int end, float[] x, int xOffset, float[] out, int outOffset) {
        MemorySegment seg = data;
        int blocks = cols / 32;
        for (int r = start; r < end; r++) {
            long base = r * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < blocks; b++) {
                long blk = base + 34L * b;
                int xc = xOffset + 32 * b;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(seg.get(I16, blk)));
                FloatVector s = widen(seg, blk + 2).mul(FloatVector.fromArray(F, x, xc));
                s = widen(seg, blk + 10).fma(FloatVector.fromArray(F, x, xc + 8), s);
                s = widen(seg, blk + 18).fma(FloatVector.fromArray(F, x, xc + 16), s);
                s = widen(seg, blk + 26).fma(FloatVector.fromArray(F, x, xc + 24), s);
                acc = s.fma(d, acc);
            }
            out[outOffset + r] = FloatOps.sumLanes(acc);
        }
    }

    private static FloatVector widen(MemorySegment seg, long at) {
        return (FloatVector) ByteVector.fromMemorySegment(B64, seg, at, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    boolean int8() {
        return path.int8();
    }

    /**
     * Integer path: per block, 32 weight bytes and 32 activation quants multiplied as 16-bit lanes (|w * q| is at
     * most 128 * 127, so the sum of two products still fits 16 bits), pairs of lanes summed into 32-bit lanes,
     * converted to float and scaled once by the product of the two block scales.
     */
    @Override
    void dotRowsInt8(int start, int end, Q8Activations a, float[] out, int outOffset) {
        // One row per pass. Two rows sharing the activation loads were no faster from cache and, for Q8_0, 2.3x
        // slower streaming from memory (two interleaved streams one row apart); four rows overflow C2's inlining
        // budget, after which the vectors of the last rows are real objects.
        int blocks = cols / 32;
        for (int r = start; r < end; r++) {
            MemorySegment row = data.asSlice(r * rowBytes, rowBytes);
            float sum = dotPairs(row, blocks & ~1, a.q, a.d, scales, r * blocks);
            if ((blocks & 1) != 0) {
                sum += lastBlock(row, blocks - 1, a, scales[r * blocks + blocks - 1]);
            }
            out[outOffset + r] = sum;
        }
    }

    /**
     * The first {@code blocks} (even) blocks of one row, held as its own slice: C2 then addresses it with plain
     * int offsets and fewer bounds checks. Two accumulators take alternate blocks so that consecutive blocks'
     * multiply-adds do not wait for each other. Static, with everything in parameters and the odd last block
     * elsewhere, to stay within C2's inlining budget.
     */
    private static float dotPairs(MemorySegment row, int blocks, short[] q, float[] ad, float[] scales, int s) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b += 2) {
            int blk = 34 * b;
            acc0 = blockInt8(row, blk, q, 32 * b, scales[s + b] * ad[b], acc0);
            acc1 = blockInt8(row, blk + 34, q, 32 * b + 32, scales[s + b + 1] * ad[b + 1], acc1);
        }
        return FloatOps.sumLanes(acc0.add(acc1));
    }

    /** {@code acc + scale * sum(w * x)} over the block at {@code blk}, spread over the lanes. */
    private static FloatVector blockInt8(MemorySegment row, int blk, short[] q, int x, float scale, FloatVector acc) {
        ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(B128, row, blk + 2, LE)
                .convertShape(VectorOperators.B2S, S256, 0);
        ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(B128, row, blk + 18, LE)
                .convertShape(VectorOperators.B2S, S256, 0);
        IntVector pairs = w0.mul(ShortVector.fromArray(S256, q, x))
                .add(w1.mul(ShortVector.fromArray(S256, q, x + 16))).reinterpretAsInts();
        IntVector sums = pairs.lanewise(VectorOperators.ASHR, 16)
                .add(pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
        return ((FloatVector) sums.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scale), acc);
    }

    private static float lastBlock(MemorySegment row, int b, Q8Activations a, float scale) {
        return FloatOps.sumLanes(blockInt8(row, 34 * b, a.q, 32 * b, scale * a.d[b], FloatVector.zero(F)));
    }

    @Override
    void rowScalar(int r, float[] dst, int offset) {
        long base = r * rowBytes;
        for (int b = 0; b < cols / 32; b++) {
            long block = base + 34L * b;
            float d = Float.float16ToFloat(data.get(I16, block));
            for (int j = 0; j < 32; j++) {
                dst[offset + b * 32 + j] = d * data.get(ValueLayout.JAVA_BYTE, block + 2 + j);
            }
        }
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        MemorySegment seg = data;
        long base = r * rowBytes;
        for (int b = 0; b < cols / 32; b++) {
            long blk = base + 34L * b;
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(seg.get(I16, blk)));
            int o = offset + 32 * b;
            widen(seg, blk + 2).mul(d).intoArray(dst, o);
            widen(seg, blk + 10).mul(d).intoArray(dst, o + 8);
            widen(seg, blk + 18).mul(d).intoArray(dst, o + 16);
            widen(seg, blk + 26).mul(d).intoArray(dst, o + 24);
        }
    }
}
