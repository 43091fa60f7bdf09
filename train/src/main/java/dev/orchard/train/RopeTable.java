package dev.orchard.train;

import dev.orchard.core.model.ModelConfig;

/**
 * Rotary position embedding tables for positions {@code 0..maxPositions-1}, computed exactly as core's inference
 * (a float32 product of position and float32 inverse frequency, llama3 scaling applied), in either layout: the two
 * halves of each head (Hugging Face) or adjacent pairs (GGUF llama).
 */
final class RopeTable {

    final int headDim;
    final int half;
    final boolean adjacentPairs;
    final float[] cos;
    final float[] sin;
    final int maxPositions;

    RopeTable(ModelConfig config, int maxPositions, boolean adjacentPairs) {
        this.headDim = config.headDim();
        this.half = headDim / 2;
        this.adjacentPairs = adjacentPairs;
        this.maxPositions = maxPositions;
        cos = new float[maxPositions * half];
        sin = new float[maxPositions * half];
        for (int i = 0; i < half; i++) {
            double invFreq = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / headDim);
            if (config.ropeScaling() != null) {
                invFreq = config.ropeScaling().scale(invFreq);
            }
            for (int pos = 0; pos < maxPositions; pos++) {
                float angle = (float) pos * (float) invFreq;
                cos[pos * half + i] = (float) Math.cos(angle);
                sin[pos * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /**
     * Rotates every head of row {@code pos} ({@code heads * headDim} floats at {@code offset}) by the angles of
     * position {@code pos}; {@code sign = -1} rotates back (the transpose, used by the backward pass).
     */
    void rotate(float[] src, float[] dst, int offset, int heads, int pos, float sign) {
        int t = pos * half;
        for (int h = 0; h < heads; h++) {
            int o = offset + h * headDim;
            int stride = adjacentPairs ? 2 : 1;
            int partner = adjacentPairs ? 1 : half;
            for (int i = 0; i < half; i++) {
                int ia = o + i * stride;
                int ib = ia + partner;
                float c = cos[t + i];
                float s = sign * sin[t + i];
                float a = src[ia];
                float b = src[ib];
                dst[ia] = a * c - b * s;
                dst[ib] = a * s + b * c;
            }
        }
    }
}
