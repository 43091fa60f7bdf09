package dev.orchard.core.quant;

import jdk.incubator.vector.ShortVector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HalfFloatsTest {

    @Test
    void f16ConversionMatchesTheJdkForAllSixtyFiveThousandValues() {
        short[] halves = new short[8];
        float[] got = new float[8];
        for (int base = 0; base < 65536; base += 8) {
            for (int i = 0; i < 8; i++) {
                halves[i] = (short) (base + i);
            }
            HalfFloats.f16ToFloat(ShortVector.fromArray(HalfFloats.S128, halves, 0)).intoArray(got, 0);
            for (int i = 0; i < 8; i++) {
                float want = Float.float16ToFloat(halves[i]);
                if (Float.isNaN(want)) {
                    // Which NaN comes back depends on the JDK (its intrinsic sets the quiet bit, its Java code
                    // does not): any NaN will do.
                    assertThat(got[i]).as("half 0x%04x", halves[i] & 0xFFFF).isNaN();
                    continue;
                }
                int expected = Float.floatToRawIntBits(want);
                assertThat(Float.floatToRawIntBits(got[i]))
                        .as("half 0x%04x", halves[i] & 0xFFFF)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void bf16ConversionIsTheUpperHalfOfAFloat() {
        short[] halves = new short[8];
        float[] got = new float[8];
        for (int base = 0; base < 65536; base += 8) {
            for (int i = 0; i < 8; i++) {
                halves[i] = (short) (base + i);
            }
            HalfFloats.bf16ToFloat(ShortVector.fromArray(HalfFloats.S128, halves, 0)).intoArray(got, 0);
            for (int i = 0; i < 8; i++) {
                assertThat(Float.floatToRawIntBits(got[i])).isEqualTo((base + i) << 16);
            }
        }
    }
}
