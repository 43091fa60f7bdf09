package dev.orchard.core.quant;

/**
 * How a weight matrix's elements are stored. Block encodings (Q8_0, Q4_0) use GGUF's block layouts:
 * blocks of 32 elements along a row, each with an f16 scale.
 */
public enum Encoding {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    /** 32 elements: f16 scale d, then 32 signed bytes; x = d * q. */
    Q8_0(32, 34),
    /** 32 elements: f16 scale d, then 16 bytes of nibbles; x[j] = d * (lo(q[j]) - 8), x[j+16] = d * (hi(q[j]) - 8). */
    Q4_0(32, 18);

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

    /** Bytes taken by {@code elements} elements; they must fill whole blocks. */
    public long bytesFor(long elements) {
        if (elements % blockElements != 0) {
            throw new IllegalArgumentException(name() + " stores blocks of " + blockElements
                    + " elements; " + elements + " is not a multiple");
        }
        return elements / blockElements * blockBytes;
    }
}
