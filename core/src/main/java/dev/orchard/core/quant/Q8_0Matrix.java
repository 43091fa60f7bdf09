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
        return path == KernelPath.VECTOR_INT8;
    }

    /**
     * Integer path: per block, 32 weight bytes and 32 activation quants multiplied as 16-bit lanes (|w * q| is at
     * most 128 * 127, so the sum of two products still fits 16 bits), pairs of lanes summed into 32-bit lanes,
     * converted to float and scaled once by the product of the two block scales. Four rows at a time share the
     * activation loads and give the processor two independent accumulator chains.
     */
    @Override
    void dotRowsInt8(int start, int end, Q8Activations a, float[] out, int outOffset) {
        int r = start;
        for (; r + 2 <= end; r += 2) {
            dot2Int8(r, a, out, outOffset);
        }
        if (r < end) {
            dot1Int8(r, a, out, outOffset);
        }
    }

    // Two rows per pass, not four: C2 stops inlining the Vector API calls of a third and fourth row
    // (NodeCountInliningCutoff), and vectors that are not inlined are boxed, several times slower.
    private void dot2Int8(int r, Q8Activations a, float[] out, int outOffset) {
        MemorySegment seg = data;
        int blocks = cols / 32;
        short[] q = a.q;
        float[] ad = a.d;
        long base0 = r * rowBytes;
        long base1 = base0 + rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            ShortVector x0 = ShortVector.fromArray(S256, q, 32 * b);
            ShortVector x1 = ShortVector.fromArray(S256, q, 32 * b + 16);
            float dx = ad[b];
            long o = 34L * b;
            acc0 = blockInt8(seg, base0 + o, x0, x1, dx, acc0);
            acc1 = blockInt8(seg, base1 + o, x0, x1, dx, acc1);
        }
        out[outOffset + r] = FloatOps.sumLanes(acc0);
        out[outOffset + r + 1] = FloatOps.sumLanes(acc1);
    }

    private void dot1Int8(int r, Q8Activations a, float[] out, int outOffset) {
        MemorySegment seg = data;
        int blocks = cols / 32;
        short[] q = a.q;
        float[] ad = a.d;
        long base = r * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            acc = blockInt8(seg, base + 34L * b, ShortVector.fromArray(S256, q, 32 * b),
                    ShortVector.fromArray(S256, q, 32 * b + 16), ad[b], acc);
        }
        out[outOffset + r] = FloatOps.sumLanes(acc);
    }

    /** {@code acc + dw * dx * sum(w * x)} over the block at {@code blk}, spread over the lanes. */
    private static FloatVector blockInt8(MemorySegment seg, long blk, ShortVector x0, ShortVector x1, float dx,
                                         FloatVector acc) {
        ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(B128, seg, blk + 2, LE)
                .convertShape(VectorOperators.B2S, S256, 0);
        ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(B128, seg, blk + 18, LE)
                .convertShape(VectorOperators.B2S, S256, 0);
        IntVector pairs = w0.mul(x0).add(w1.mul(x1)).reinterpretAsInts();
        IntVector sums = pairs.lanewise(VectorOperators.ASHR, 16)
                .add(pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
        float scale = Float.float16ToFloat(seg.get(I16, blk)) * dx;
        return ((FloatVector) sums.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scale), acc);
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
