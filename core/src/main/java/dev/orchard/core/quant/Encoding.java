package dev.orchard.core.quant;

/**
 * How a weight matrix's elements are stored. Block encodings (Q8_0, Q4_0) use GGUF's block layouts:
 * blocks of 32 elements along a row, each with an f16 scale. The K-quants (Q2_K .. Q6_K) use llama.cpp's
 * super-blocks of 256 elements (ggml-common.h), read from GGUF files; Orchard does not encode floats into them
 * ({@link #encodable()}).
 */
public enum Encoding {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    /** 32 elements: f16 scale d, then 32 signed bytes; x = d * q. */
    Q8_0(32, 34),
    /** 32 elements: f16 scale d, then 16 bytes of nibbles; x[j] = d * (lo(q[j]) - 8), x[j+16] = d * (hi(q[j]) - 8). */
    Q4_0(32, 18),
    /**
     * 256 elements in 16 groups of 16: 16 bytes of 4-bit scale (low) and 4-bit min (high) per group, 64 bytes of
     * 2-bit quants, f16 d, f16 dmin; x = d * scale * q - dmin * min.
     */
    Q2_K(256, 84),
    /**
     * 256 elements in 16 groups of 16: 32 bytes of high-bit mask, 64 bytes of low 2 bits, 12 bytes of 6-bit
     * scales, f16 d; x = d * (scale - 32) * (q - 4), q in 0..7.
     */
    Q3_K(256, 110),
    /**
     * 256 elements in 8 groups of 32: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles;
     * x = d * scale * q - dmin * min.
     */
    Q4_K(256, 144),
    /** As {@link #Q4_K} with a fifth bit per element (32 bytes of high bits before the nibbles); q in 0..31. */
    Q5_K(256, 176),
    /**
     * 256 elements in 16 groups of 16: 128 bytes of low nibbles, 64 bytes of high 2 bits, 16 signed 8-bit scales,
     * f16 d; x = d * scale * (q - 32), q in 0..63.
     */
    Q6_K(256, 210);

    private final int blockElements;
    private final int blockBytes;

    Encoding(int blockElements, int blockBytes) {
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
    }

    /** Elements per block (1 for plain floating-point encodings). */
    public int blockElements() {
        return blockElements;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Whether {@link Quantizer} encodes floats into this encoding (the K-quants are read, not written). */
    public boolean encodable() {
        return blockElements <= 32;
    }

    /** Bytes taken by {@code elements} elements; they must fill whole blocks. */
    public long bytesFor(long elements) {
        if (elements % blockElements != 0) {
            throw new IllegalArgumentException(name() + " stores blocks of " + blockElements
                    + " elements; " + elements + " is not a multiple");
        }
        return elements / blockElements * blockBytes;
    }
}
