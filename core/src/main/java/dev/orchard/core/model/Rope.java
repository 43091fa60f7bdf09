package dev.orchard.core.model;

/**
 * Rotary position embedding for one head width: a cos/sin table per position, applied either to the two halves of
 * each head (Hugging Face layout) or to adjacent pairs (GGUF llama layout, whose q/k rows were permuted to match).
 */
final class Rope {

    private final int headDim;
    private final int half;
    private final boolean adjacentPairs;
    private final float[] cos;
    private final float[] sin;

    Rope(ModelConfig config, int maxPositions, boolean adjacentPairs) {
        this.headDim = config.headDim();
        this.half = headDim / 2;
        this.adjacentPairs = adjacentPairs;
        double[] invFreq = inverseFrequencies(config);
        cos = new float[maxPositions * half];
        sin = new float[maxPositions * half];
        for (int pos = 0; pos < maxPositions; pos++) {
            for (int i = 0; i < half; i++) {
                // As Hugging Face does: the angle is a float32 product of position and float32 inverse frequency.
                float angle = (float) pos * (float) invFreq[i];
                cos[pos * half + i] = (float) Math.cos(angle);
                sin[pos * half + i] = (float) Math.sin(angle);
            }
        }
    }

    static double[] inverseFrequencies(ModelConfig config) {
        int half = config.headDim() / 2;
        double[] invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            invFreq[i] = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim());
            if (config.ropeScaling() != null) {
                invFreq[i] = config.ropeScaling().scale(invFreq[i]);
            }
        }
        return invFreq;
    }

    /** Rotates {@code heads} consecutive heads of {@code v} starting at {@code offset} for position {@code pos}. */
    void apply(float[] v, int offset, int heads, int pos) {
        int t = pos * half;
        for (int h = 0; h < heads; h++) {
            int o = offset + h * headDim;
            if (adjacentPairs) {
                for (int i = 0; i < half; i++) {
                    float a = v[o + 2 * i];
                    float b = v[o + 2 * i + 1];
                    v[o + 2 * i] = a * cos[t + i] - b * sin[t + i];
                    v[o + 2 * i + 1] = a * sin[t + i] + b * cos[t + i];
                }
            } else {
                for (int i = 0; i < half; i++) {
                    float a = v[o + i];
                    float b = v[o + i + half];
                    v[o + i] = a * cos[t + i] - b * sin[t + i];
                    v[o + i + half] = a * sin[t + i] + b * cos[t + i];
                }
            }
        }
    }
}
