package dev.orchard.core.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** GGUF Q8_0 rows: blocks of 32 signed bytes with one f16 scale each. */
final class Q8_0Matrix extends EncodedMatrix {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q8_0;
    }

    @Override
    float dot(int r, float[] x, int xOffset) {
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

    @Override
    public void row(int r, float[] dst, int offset) {
        long base = r * rowBytes;
        for (int b = 0; b < cols / 32; b++) {
            long block = base + 34L * b;
            float d = Float.float16ToFloat(data.get(I16, block));
            for (int j = 0; j < 32; j++) {
                dst[offset + b * 32 + j] = d * data.get(ValueLayout.JAVA_BYTE, block + 2 + j);
            }
        }
    }
}
