package dev.orchard.core.quant;

import jdk.incubator.vector.FloatVector;

/**
 * Which dot-product kernels a {@link WeightMatrix} uses. {@link WeightMatrices#wrap(Encoding,
 * java.lang.foreign.MemorySegment, int, int)} picks {@link #fastest(Encoding)}; tests and benchmarks pick one
 * explicitly.
 */
public enum KernelPath {
    /** Plain loops, one element at a time: the reference the others are tested against. */
    SCALAR,
    /** Vector API loops that widen the weights to float and multiply them with the float activations. */
    VECTOR_FLOAT,
    /**
     * For Q8_0 and Q4_0: quantize the activation vector once per call to 8-bit blocks of 32 (see
     * {@code Q8Activations}) and multiply integers, one float scale multiply per block, as llama.cpp does.
     * Results differ from the float paths by the activations' rounding (relative error around 1/254 of each
     * block's largest activation). Encodings without an integer kernel use {@link #VECTOR_FLOAT}.
     */
    VECTOR_INT8;

    /** Whether this path quantizes the activations and multiplies integers (Q8_0 and Q4_0). */
    public boolean int8() {
        return this == VECTOR_INT8;
    }

    /**
     * Whether the vector kernels run on hardware vectors here: they use 256-bit shapes, which a CPU with
     * narrower registers would only emulate (far slower than the scalar loops).
     */
    public static boolean vectorsSupported() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    /** The fastest path measured for {@code encoding} on this CPU class. */
    public static KernelPath fastest(Encoding encoding) {
        if (!vectorsSupported()) {
            return SCALAR;
        }
        return switch (encoding) {
            case Q8_0, Q4_0 -> VECTOR_INT8;
            case F32, F16, BF16, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> VECTOR_FLOAT;
        };
    }
}
