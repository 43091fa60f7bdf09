package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector conversions of 16-bit floats to float32. JDK 25's Vector API has no half-float lane type or
 * conversion (jdk.incubator.vector.Float16 is a scalar class), so these are integer bit manipulations:
 * bfloat16 is the upper half of a float32; IEEE half needs its exponent re-biased, which one float multiply by
 * 2^112 does exactly for normal and subnormal values alike, plus a fix-up for infinities and NaNs.
 */
final class HalfFloats {

    static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;

    private HalfFloats() {
    }

    /** Eight IEEE halves (as shorts) to eight floats, exactly as {@link Float#float16ToFloat}. */
    static FloatVector f16ToFloat(ShortVector h) {
        IntVector i = (IntVector) h.convertShape(VectorOperators.S2I, I256, 0); // sign-extended
        // Exponent and mantissa moved to the float positions: bits 14..0 of the half to bits 27..13.
        IntVector magnitude = i.lanewise(VectorOperators.LSHL, 17).lanewise(VectorOperators.LSHR, 4);
        // As a float that is the value times 2^-112 (exponent bias 127 instead of 15): scale it back.
        IntVector bits = magnitude.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        // Half exponent 31 (infinity, NaN): all-ones float exponent, mantissa kept.
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x0F800000);
        bits = bits.blend(magnitude.or(0x7F800000), special);
        return bits.or(i.and(0x80000000)).reinterpretAsFloats();
    }

    /** Eight bfloat16 values (as shorts) to eight floats. */
    static FloatVector bf16ToFloat(ShortVector h) {
        IntVector i = (IntVector) h.convertShape(VectorOperators.S2I, I256, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
