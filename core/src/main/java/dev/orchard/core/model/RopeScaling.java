package dev.orchard.core.model;

/**
 * Llama-3 style RoPE frequency scaling ({@code rope_scaling} with {@code rope_type: "llama3"}): low frequencies are
 * divided by {@code factor}, high ones kept, those between blended smoothly.
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings) {

    public RopeScaling {
        if (!"llama3".equals(type)) {
            throw new IllegalArgumentException("rope_scaling type '" + type + "' is not supported (supported: llama3)");
        }
        if (factor <= 0 || lowFreqFactor <= 0 || highFreqFactor <= lowFreqFactor || originalMaxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("rope_scaling llama3 needs factor > 0, 0 < low_freq_factor < "
                    + "high_freq_factor and original_max_position_embeddings > 0");
        }
    }

    /** Applies the scaling to one inverse frequency (radians per position). */
    public double scale(double invFreq) {
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highFreqWavelen) {
            return invFreq;
        }
        if (wavelen > lowFreqWavelen) {
            return invFreq / factor;
        }
        double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }
}
