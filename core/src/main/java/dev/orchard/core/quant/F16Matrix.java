package dev.orchard.core.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Little-endian IEEE half-precision rows. */
final class F16Matrix extends EncodedMatrix {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public Encoding encoding() {
        return Encoding.F16;
    }

    @Override
    float dot(int r, float[] x, int xOffset) {
        long base = r * rowBytes;
        float sum = 0f;
        for (int c = 0; c < cols; c++) {
            sum += Float.float16ToFloat(data.get(I16, base + 2L * c)) * x[xOffset + c];
        }
        return sum;
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        long base = r * rowBytes;
        for (int c = 0; c < cols; c++) {
            dst[offset + c] = Float.float16ToFloat(data.get(I16, base + 2L * c));
        }
    }
}
