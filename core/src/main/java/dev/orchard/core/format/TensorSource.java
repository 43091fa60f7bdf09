package dev.orchard.core.format;

import dev.orchard.core.quant.WeightMatrix;

import java.util.Map;

/**
 * Named tensors of a checkpoint, whatever the file format, under Hugging Face Llama names
 * ({@code model.layers.0.self_attn.q_proj.weight}). Matrices are views of the memory-mapped files.
 */
public interface TensorSource extends AutoCloseable {

    /** Every tensor name with a short description ({@code "Q4_0 [64, 64]"}), in file order. */
    Map<String, String> describe();

    boolean has(String name);

    /** The 2-D tensor {@code name} as a {@code rows x cols} matrix; a clear error if it is absent or shaped otherwise. */
    WeightMatrix matrix(String name, int rows, int cols);

    /** The 1-D float tensor {@code name}, copied to the heap (norm weights); checked to have {@code length} elements. */
    float[] vector(String name, int length);

    /**
     * True when q/k projection rows are stored for RoPE over adjacent pairs (llama.cpp's GGUF convention for the
     * llama architecture), false for Hugging Face's rotation of the two halves of each head.
     */
    boolean adjacentPairRope();

    /** Bytes of all tensor data. */
    long totalBytes();

    @Override
    void close();
}
