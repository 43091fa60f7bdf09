package dev.orchard.core.quant;

/**
 * A frozen {@code rows x cols} weight matrix in some {@link Encoding}, usually a slice of a memory-mapped file.
 * Row {@code r} holds output feature {@code r}: {@code y = W x} has {@code rows} elements.
 *
 * <p>The model never branches on the encoding: every linear layer is a {@code WeightMatrix}.
 * Implementations are immutable and safe to share between threads.
 */
public interface WeightMatrix {

    int rows();

    int cols();

    Encoding encoding();

    /** Bytes of weight data in the encoding's layout. */
    long byteSize();

    /**
     * Bytes one mat-vec reads: {@link #byteSize()} plus any decoded side data the kernels keep (the float block
     * scales of the Q8_0/Q4_0 integer path).
     */
    default long bytesReadPerMatVec() {
        return byteSize();
    }

    /** The encoded bytes, row after row, in this encoding's layout (for writing checkpoints without re-encoding). */
    java.lang.foreign.MemorySegment data();

    /** {@code out[r] = sum_c W[r][c] * x[c]} for every row; splits rows across the shared worker threads. */
    void matVec(float[] x, float[] out);

    /**
     * Batched product for prefill: {@code x} holds {@code n} input vectors of {@code cols()} floats back to back,
     * {@code out} receives {@code n} output vectors of {@code rows()} floats.
     */
    void matMul(float[] x, int n, float[] out);

    /**
     * {@code n} mat-vecs at once: {@code x} holds {@code n} input vectors of {@code cols()} floats back to back and
     * {@code out} receives {@code n} outputs of {@code rows()} floats. Each output equals, bit for bit, what
     * {@link #matVec} gives for that input alone (the same activation quantization and the same per-row kernel),
     * but every weight row is read once for all {@code n} inputs. This is decode for several tokens: the tokens a
     * speculative draft proposes, or one token from each sequence of a batch. (Unlike {@link #matMul}, whose float
     * tiles round differently, so prefill logits are close to decode logits but not equal.)
     */
    default void matVecEach(float[] x, int n, float[] out) {
        if (n < 0 || x.length < (long) n * cols() || out.length < (long) n * rows()) {
            throw new IllegalArgumentException("matVecEach: " + n + " inputs of " + cols() + " need x >= "
                    + (long) n * cols() + " and out >= " + (long) n * rows() + ", got " + x.length + " and "
                    + out.length);
        }
        float[] in = new float[cols()];
        float[] result = new float[rows()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * cols(), in, 0, cols());
            matVec(in, result);
            System.arraycopy(result, 0, out, i * rows(), rows());
        }
    }

    /** Writes the dequantized row {@code r} into {@code dst[offset .. offset + cols())}. */
    void row(int r, float[] dst, int offset);

    /** The whole matrix dequantized, row-major (for tests, merges and training; allocates). */
    default float[] dequantize() {
        float[] all = new float[Math.multiplyExact(rows(), cols())];
        for (int r = 0; r < rows(); r++) {
            row(r, all, r * cols());
        }
        return all;
    }
}
