package dev.orchard.core.quant;

import dev.orchard.core.kernel.FloatOps;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian float32 rows. */
final class F32Matrix extends EncodedMatrix {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    F32Matrix(MemorySegment data, int rows, int cols, KernelPath path) {
        super(data, rows, cols, path);
    }

    @Override
    public Encoding encoding() {
        return Encoding.F32;
    }

    @Override
    float dotScalar(int r, float[] x, int xOffset) {
        long base = r * rowBytes;
        float sum = 0f;
        for (int c = 0; c < cols; c++) {
            sum += data.get(F32, base + 4L * c) * x[xOffset + c];
        }
        return sum;
    }

    @Override
    void dotRows(int start, int end, float[] x, int xOffset, float[] out, int outOffset) {
        MemorySegment seg = data;
        int n = cols;
        for (int r = start; r < end; r++) {
            long base = r * rowBytes;
            // Four accumulators: the loop is bound by loads, not by the latency of one fma chain.
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int c = 0;
            for (; c + 32 <= n; c += 32) {
                long at = base + 4L * c;
                int xc = xOffset + c;
                a0 = FloatVector.fromMemorySegment(F, seg, at, LE).fma(FloatVector.fromArray(F, x, xc), a0);
                a1 = FloatVector.fromMemorySegment(F, seg, at + 32, LE).fma(FloatVector.fromArray(F, x, xc + 8), a1);
                a2 = FloatVector.fromMemorySegment(F, seg, at + 64, LE).fma(FloatVector.fromArray(F, x, xc + 16), a2);
                a3 = FloatVector.fromMemorySegment(F, seg, at + 96, LE).fma(FloatVector.fromArray(F, x, xc + 24), a3);
            }
            for (; c + 8 <= n; c += 8) {
                a0 = FloatVector.fromMemorySegment(F, seg, base + 4L * c, LE)
                        .fma(FloatVector.fromArray(F, x, xOffset + c), a0);
            }
            float sum = FloatOps.sumLanes(a0.add(a1).add(a2.add(a3)));
            for (; c < n; c++) {
                sum += seg.get(F32, base + 4L * c) * x[xOffset + c];
            }
            out[outOffset + r] = sum;
        }
    }

    @Override
    void rowScalar(int r, float[] dst, int offset) {
        for (int c = 0; c < cols; c++) {
            dst[offset + c] = data.get(F32, r * rowBytes + 4L * c);
        }
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        MemorySegment.copy(data, F32, r * rowBytes, dst, offset, cols);
    }
}
