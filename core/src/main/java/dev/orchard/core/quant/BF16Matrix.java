package dev.orchard.core.quant;

import dev.orchard.core.kernel.FloatOps;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian bfloat16 rows: the upper 16 bits of a float32. */
final class BF16Matrix extends EncodedMatrix {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    BF16Matrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.BF16;
    }

    /** Eight bfloat16 values to eight floats: zero-extend to 32 bits and shift into the upper half. */
    private static FloatVector widen(ShortVector h) {
        IntVector i = (IntVector) h.convertShape(VectorOperators.ZERO_EXTEND_S2I, IntVector.SPECIES_256, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    @Override
    float dotScalar(int r, float[] x, int xOffset) {
        long base = r * rowBytes;
        float sum = 0f;
        for (int c = 0; c < cols; c++) {
            sum += bf16ToFloat(data.get(I16, base + 2L * c)) * x[xOffset + c];
        }
        return sum;
    }

    @Override
    void dotRows(int start, int end, float[] x, int xOffset, float[] out, int outOffset) {
        MemorySegment seg = data;
        int n = cols;
        for (int r = start; r < end; r++) {
            long base = r * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            int c = 0;
            for (; c + 16 <= n; c += 16) {
                long at = base + 2L * c;
                FloatVector w0 = widen(ShortVector.fromMemorySegment(S, seg, at, LE));
                FloatVector w1 = widen(ShortVector.fromMemorySegment(S, seg, at + 16, LE));
                a0 = w0.fma(FloatVector.fromArray(F, x, xOffset + c), a0);
                a1 = w1.fma(FloatVector.fromArray(F, x, xOffset + c + 8), a1);
            }
            for (; c + 8 <= n; c += 8) {
                FloatVector w0 = widen(ShortVector.fromMemorySegment(S, seg, base + 2L * c, LE));
                a0 = w0.fma(FloatVector.fromArray(F, x, xOffset + c), a0);
            }
            float sum = FloatOps.sumLanes(a0.add(a1));
            for (; c < n; c++) {
                sum += bf16ToFloat(seg.get(I16, base + 2L * c)) * x[xOffset + c];
            }
            out[outOffset + r] = sum;
        }
    }

    @Override
    void rowScalar(int r, float[] dst, int offset) {
        long base = r * rowBytes;
        for (int c = 0; c < cols; c++) {
            dst[offset + c] = bf16ToFloat(data.get(I16, base + 2L * c));
        }
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        MemorySegment seg = data;
        long base = r * rowBytes;
        int c = 0;
        for (; c + 8 <= cols; c += 8) {
            widen(ShortVector.fromMemorySegment(S, seg, base + 2L * c, LE)).intoArray(dst, offset + c);
        }
        for (; c < cols; c++) {
            dst[offset + c] = bf16ToFloat(seg.get(I16, base + 2L * c));
        }
    }
}
