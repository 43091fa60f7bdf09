package dev.orchard.core.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** GGUF Q4_0 rows: blocks of 32 four-bit values (low nibbles first half, high nibbles second) with an f16 scale. */
final class Q4_0Matrix extends EncodedMatrix {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public Encoding encoding() {
        return Encoding.Q4_0;
    }

    @Override
    float dot(int r, float[] x, int xOffset) {
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

    @Override
    public void row(int r, float[] dst, int offset) {
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
}
