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
        return path.int8();
    }

    /**
     * Integer path, with the activations in {@link Q8Activations}' Q4_0 layout: per block the zero-extended
     * packed bytes {@code w} give {@code w * x0 + (w >> 4) * mixed + offset}, 16 lanes each holding the products
     * of one low and one high nibble with the offset of 8 taken out, exact in wrapping 16-bit arithmetic. That
     * saves the mask of the low nibbles and the per-block scalar offset correction of a plainer kernel (measured
     * 1.09x, 12.8 -> 13.9 elements/ns for 1536x576 on one thread).
     */
    @Override
    void dotRowsInt8(int start, int end, Q8Activations a, float[] out, int outOffset) {
        int blocks = cols / 32;
        rowsInt8(data, rowBytes, blocks & ~1, start, end, a.q4Low, a.q4Mixed, a.q4Offset, a.d, scales, out,
                outOffset);
        if ((blocks & 1) != 0) {
            for (int r = start; r < end; r++) {
                out[outOffset + r] += lastBlock(data.asSlice(r * rowBytes, rowBytes), blocks - 1, a,
                        scales[r * blocks + blocks - 1]);
            }
        }
    }

    /**
     * Rows [start, end) over their first {@code blocks} (even) blocks. One row per pass: two rows sharing the
     * activation loads were no faster from cache and, for Q8_0, 2.3x slower streaming from memory (two
     * interleaved streams one row apart). Each row is taken as its own slice, which C2 addresses with plain int
     * offsets and fewer bounds checks (1.1x). Two accumulators take alternate blocks so that consecutive blocks'
     * multiply-adds do not wait for each other. The shape of this method matters to C2: a static method with
     * everything in parameters, the vectors loaded here and the odd last block elsewhere measured 1.2x the same
     * arithmetic written as an instance method with a per-block helper loading its own inputs.
     */
    private static void rowsInt8(MemorySegment data, long rowBytes, int blocks, int start, int end, short[] low,
                                 short[] mixed, short[] offset, float[] ad, float[] scales, float[] out,
                                 int outOffset) {
        int rowBlocks = (int) (rowBytes / 18);
        for (int r = start; r < end; r++) {
            MemorySegment row = data.asSlice(r * rowBytes, rowBytes);
            int s = r * rowBlocks;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            for (int b = 0; b < blocks; b += 2) {
                int blk = 18 * b;
                int x = 16 * b;
                acc0 = blockInt8(row, blk, ShortVector.fromArray(S256, low, x), ShortVector.fromArray(S256, mixed, x),
                        ShortVector.fromArray(S256, offset, x), scales[s + b] * ad[b], acc0);
                acc1 = blockInt8(row, blk + 18, ShortVector.fromArray(S256, low, x + 16),
                        ShortVector.fromArray(S256, mixed, x + 16), ShortVector.fromArray(S256, offset, x + 16),
                        scales[s + b + 1] * ad[b + 1], acc1);
            }
            out[outOffset + r] = FloatOps.sumLanes(acc0.add(acc1));
        }
    }

    private static float lastBlock(MemorySegment row, int b, Q8Activations a, float scale) {
        int x = 16 * b;
        return FloatOps.sumLanes(blockInt8(row, 18 * b, ShortVector.fromArray(S256, a.q4Low, x),
                ShortVector.fromArray(S256, a.q4Mixed, x), ShortVector.fromArray(S256, a.q4Offset, x),
                scale * a.d[b], FloatVector.zero(F)));
    }

    /**
     * {@code acc + scale * sum((nibble - 8) * x)} over the block at {@code blk}, spread over the lanes; the
     * activations come in the Q4_0 layout of {@link Q8Activations} ({@code low}, {@code mixed}, {@code offset}).
     */
    private static FloatVector blockInt8(MemorySegment row, long blk, ShortVector low, ShortVector mixed,
                                         ShortVector offset, float scale, FloatVector acc) {
        ShortVector w = (ShortVector) ByteVector.fromMemorySegment(B128, row, blk + 2, LE)
                .convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
        ShortVector p = w.mul(low).add(w.lanewise(VectorOperators.LSHR, 4).mul(mixed)).add(offset);
        IntVector pairs = p.reinterpretAsInts();
        // The upper half of pairs + (pairs << 16) is the sum of the two 16-bit lanes (at most 4064 in magnitude).
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
