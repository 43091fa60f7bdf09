package dev.orchard.core.model;

/**
 * Moves q/k projection rows between the two RoPE layouts. Hugging Face rotates the two halves of each head
 * (element {@code i} with {@code i + d/2}); llama.cpp's GGUF llama files rotate adjacent pairs ({@code 2i} with
 * {@code 2i + 1}) and store q/k rows permuted to match. Anything with one row per q or k output (the projection
 * itself, a LoRA B factor, a per-head norm weight) must be permuted the same way when it crosses layouts.
 */
public final class RopeLayouts {

    private RopeLayouts() {
    }

    /** Rows in Hugging Face order to GGUF order: row {@code h*d + part*d/2 + i} goes to {@code h*d + 2i + part}. */
    public static float[] halvesToPairs(float[] rows, int heads, int headDim, int cols) {
        return permute(rows, heads, headDim, cols, true);
    }

    /** The inverse of {@link #halvesToPairs}. */
    public static float[] pairsToHalves(float[] rows, int heads, int headDim, int cols) {
        return permute(rows, heads, headDim, cols, false);
    }

    private static float[] permute(float[] src, int heads, int headDim, int cols, boolean toPairs) {
        if (src.length != heads * headDim * cols) {
            throw new IllegalArgumentException("expected " + heads + " heads x " + headDim + " rows x " + cols
                    + " columns, got " + src.length + " values");
        }
        float[] dst = new float[src.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int part = 0; part < 2; part++) {
                    int halves = h * headDim + part * half + i;
                    int pairs = h * headDim + 2 * i + part;
                    int from = toPairs ? halves : pairs;
                    int to = toPairs ? pairs : halves;
                    System.arraycopy(src, from * cols, dst, to * cols, cols);
                }
            }
        }
        return dst;
    }
}
