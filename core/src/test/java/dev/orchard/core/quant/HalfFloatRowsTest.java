package dev.orchard.core.quant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** Every one of the 65536 16-bit patterns through the vectorized row decoding of F16 and BF16. */
class HalfFloatRowsTest {

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"F16", "BF16"})
    void everyBitPatternDecodesAsTheScalarConversion(Encoding encoding) {
        int cols = 65536;
        MemorySegment data = Arena.ofAuto().allocate(2L * cols + 1).asSlice(1); // odd address on purpose
        for (int i = 0; i < cols; i++) {
            data.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, (short) i);
        }
        WeightMatrix m = WeightMatrices.wrap(encoding, data, 1, cols, KernelPath.VECTOR_FLOAT);
        float[] got = new float[cols];
        for (int repeat = 0; repeat < 30; repeat++) { // until the JIT has compiled the loops
            m.row(0, got, 0);
        }
        for (int i = 0; i < cols; i++) {
            short bits = (short) i;
            float want = encoding == Encoding.F16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat(i << 16);
            if (Float.isNaN(want)) {
                // Which NaN comes back may differ (F16C sets the quiet bit): any NaN will do.
                assertThat(got[i]).as("%s 0x%04x", encoding, i).isNaN();
            } else {
                assertThat(Float.floatToRawIntBits(got[i])).as("%s 0x%04x", encoding, i)
                        .isEqualTo(Float.floatToRawIntBits(want));
            }
        }
    }
}
