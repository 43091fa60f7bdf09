package dev.orchard.core.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Little-endian float32 rows. */
final class F32Matrix extends EncodedMatrix {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    F32Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public Encoding encoding() {
        return Encoding.F32;
    }

    @Override
    float dot(int r, float[] x, int xOffset) {
        long base = r * rowBytes;
        float sum = 0f;
        for (int c = 0; c < cols; c++) {
            sum += data.get(F32, base + 4L * c) * x[xOffset + c];
        }
        return sum;
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        MemorySegment.copy(data, F32, r * rowBytes, dst, offset, cols);
    }
}
