package dev.orchard.core.format;

import dev.orchard.core.quant.Encoding;

import java.util.Optional;

/** Tensor element types of GGML/GGUF, with their block geometry; those Orchard can compute with map to an {@link Encoding}. */
public enum GgmlType {
    F32(0, 1, 4, Encoding.F32),
    F16(1, 1, 2, Encoding.F16),
    Q4_0(2, 32, 18, Encoding.Q4_0),
    Q4_1(3, 32, 20, null),
    Q5_0(6, 32, 22, null),
    Q5_1(7, 32, 24, null),
    Q8_0(8, 32, 34, Encoding.Q8_0),
    Q8_1(9, 32, 36, null),
    Q2_K(10, 256, 84, Encoding.Q2_K),
    Q3_K(11, 256, 110, Encoding.Q3_K),
    Q4_K(12, 256, 144, Encoding.Q4_K),
    Q5_K(13, 256, 176, Encoding.Q5_K),
    Q6_K(14, 256, 210, Encoding.Q6_K),
    Q8_K(15, 256, 292, null),
    I8(24, 1, 1, null),
    I16(25, 1, 2, null),
    I32(26, 1, 4, null),
    I64(27, 1, 8, null),
    F64(28, 1, 8, null),
    BF16(30, 1, 2, Encoding.BF16);

    private final int id;
    private final int blockElements;
    private final int blockBytes;
    private final Encoding encoding;

    GgmlType(int id, int blockElements, int blockBytes, Encoding encoding) {
        this.id = id;
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
        this.encoding = encoding;
    }

    public int id() {
        return id;
    }

    /** The Orchard encoding for this type, if Orchard computes with it. */
    public Optional<Encoding> encoding() {
        return Optional.ofNullable(encoding);
    }

    public static Optional<GgmlType> byId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static GgmlType of(Encoding encoding) {
        for (GgmlType t : values()) {
            if (t.encoding == encoding) {
                return t;
            }
        }
        throw new IllegalArgumentException("no GGML type for " + encoding);
    }

    /** Bytes for {@code elements} elements, or -1 if they do not fill whole blocks. */
    public long bytesFor(long elements) {
        if (elements % blockElements != 0) {
            return -1;
        }
        return elements / blockElements * blockBytes;
    }

    public int blockElements() {
        return blockElements;
    }
}
