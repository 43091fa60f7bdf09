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

/** GGUF Q4_0 rows: blocks of 32 four-bit values (low nibbles first half, high nibbles second) with an f16 scale. */
final class Q4_0Matrix extends EncodedMatrix {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    Q4_0Matrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q4_0;
    }

    @Override
    float dotScalar(int r, float[] x, int xOffset) {
        long base = r * rowBytes;
        float sum = 0f;
        for (int b = 0; b < cols / 32; b++) {
            long block = base + 18L * b;
            float d = Float.float16ToFloat(data.get(I16, block));
            float blockSum = 0f;
            int xb = xOffset + b * 32;
            for (int j = 0; j < 16; j++) {
                int q = data.get(ValueLayout.JAVA_BYTE, block + 2 + j) & 0xFF;
                blockSum += ((q & 0x0F) - 8) * x[xb + j] + ((q >>> 4) - 8) * x[xb + j + 16];
            }
            sum += d * blockSum;
        }
        return sum;
    }

    /** Float path: per block, two loads of 8 bytes widened to ints give the low and high nibbles of 16 values each. */
    @Override
    void dotRows(int start, int end, float[] x, int xOffset, float[] out, int outOffset) {
        MemorySegment seg = data;
        int blocks = cols / 32;
        for (int r = start; r < end; r++) {
            long base = r * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < blocks; b++) {
                long blk = base + 18L * b;
                int xc = xOffset + 32 * b;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(seg.get(I16, blk)));
                IntVector q0 = bytesAsInts(seg, blk + 2);
                IntVector q1 = bytesAsInts(seg, blk + 10);
                FloatVector s = lowNibbles(q0).mul(FloatVector.fromArray(F, x, xc));
                s = lowNibbles(q1).fma(FloatVector.fromArray(F, x, xc + 8), s);
                s = highNibbles(q0).fma(FloatVector.fromArray(F, x, xc + 16), s);
                s = highNibbles(q1).fma(FloatVector.fromArray(F, x, xc + 24), s);
                acc = s.fma(d, acc);
            }
            out[outOffset + r] = FloatOps.sumLanes(acc);
        }
    }

    private static IntVector bytesAsInts(MemorySegment seg, long at) {
        return (IntVector) ByteVector.fromMemorySegment(B64, seg, at, LE)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I256, 0);
    }

    private static FloatVector lowNibbles(IntVector q) {
        return (FloatVector) q.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
    }

    private static FloatVector highNibbles(IntVector q) {
        return (FloatVector) q.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
    }

    @Override
    boolean int8() {
        return path == KernelPath.VECTOR_INT8;
    }

    /**
     * Integer path. The nibbles are used as stored (0..15) and the offset of 8 is taken out per block with the
     * activation's precomputed {@code 8 * d * sum(q)}: {@code sum((w - 8) * q) = sum(w * q) - 8 * sum(q)}. With
     * |w * q| at most 15 * 127, sums of four products fit a 16-bit lane. Four rows at a time share the activation
     * loads and give the processor two independent accumulator chains.
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
        float[] offsetTerm = a.offsetTerm;
        long base0 = r * rowBytes;
        long base1 = base0 + rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        float off0 = 0f;
        float off1 = 0f;
        for (int b = 0; b < blocks; b++) {
            ShortVector x0 = ShortVector.fromArray(S256, q, 32 * b);
            ShortVector x1 = ShortVector.fromArray(S256, q, 32 * b + 16);
            float dx = ad[b];
            float ot = offsetTerm[b];
            long o = 18L * b;
            float d0 = Float.float16ToFloat(seg.get(I16, base0 + o));
            float d1 = Float.float16ToFloat(seg.get(I16, base1 + o));
            acc0 = blockInt8(seg, base0 + o, x0, x1, d0 * dx, acc0);
            acc1 = blockInt8(seg, base1 + o, x0, x1, d1 * dx, acc1);
            off0 += d0 * ot;
            off1 += d1 * ot;
        }
        out[outOffset + r] = FloatOps.sumLanes(acc0) - off0;
        out[outOffset + r + 1] = FloatOps.sumLanes(acc1) - off1;
    }

    private void dot1Int8(int r, Q8Activations a, float[] out, int outOffset) {
        MemorySegment seg = data;
        int blocks = cols / 32;
        short[] q = a.q;
        float[] ad = a.d;
        float[] offsetTerm = a.offsetTerm;
        long base = r * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        float offset = 0f;
        for (int b = 0; b < blocks; b++) {
            long blk = base + 18L * b;
            float dw = Float.float16ToFloat(seg.get(I16, blk));
            acc = blockInt8(seg, blk, ShortVector.fromArray(S256, q, 32 * b),
                    ShortVector.fromArray(S256, q, 32 * b + 16), dw * ad[b], acc);
            offset += dw * offsetTerm[b];
        }
        out[outOffset + r] = FloatOps.sumLanes(acc) - offset;
    }

    /** {@code acc + scale * sum(nibbles * x)} over the block at {@code blk}, spread over the lanes. */
    private static FloatVector blockInt8(MemorySegment seg, long blk, ShortVector x0, ShortVector x1, float scale,
                                         FloatVector acc) {
        ShortVector w = (ShortVector) ByteVector.fromMemorySegment(B128, seg, blk + 2, LE)
                .convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
        ShortVector p = w.and((short) 0x0F).mul(x0).add(w.lanewise(VectorOperators.LSHR, 4).mul(x1));
        IntVector pairs = p.reinterpretAsInts();
        // The upper half of pairs + (pairs << 16) is the sum of the two 16-bit lanes.
        IntVector sums = pairs.add(pairs.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
        return ((FloatVector) sums.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scale), acc);
    }

    @Override
    void rowScalar(int r, float[] dst, int offset) {
        long base = r * rowBytes;
        for (int b = 0; b < cols / 32; b++) {
            long block = base + 18L * b;
            float d = Float.float16ToFloat(data.get(I16, block));
            for (int j = 0; j < 16; j++) {
                int q = data.get(ValueLayout.JAVA_BYTE, block + 2 + j) & 0xFF;
                dst[offset + b * 32 + j] = d * ((q & 0x0F) - 8);
                dst[offset + b * 32 + j + 16] = d * ((q >>> 4) - 8);
            }
        }
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        MemorySegment seg = data;
        long base = r * rowBytes;
        for (int b = 0; b < cols / 32; b++) {
            long blk = base + 18L * b;
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(seg.get(I16, blk)));
            IntVector q0 = bytesAsInts(seg, blk + 2);
            IntVector q1 = bytesAsInts(seg, blk + 10);
            int o = offset + 32 * b;
            lowNibbles(q0).mul(d).intoArray(dst, o);
            lowNibbles(q1).mul(d).intoArray(dst, o + 8);
            highNibbles(q0).mul(d).intoArray(dst, o + 16);
            highNibbles(q1).mul(d).intoArray(dst, o + 24);
        }
    }
}
