package dev.orchard.core.model;

import dev.orchard.core.quant.WeightMatrix;

/** One decoder layer's weights: the two pre-norms, optional QK-norms and the seven projections. */
public record Layer(float[] inputLayernorm, float[] postAttentionLayernorm, float[] qNorm, float[] kNorm,
                    WeightMatrix[] projections) {

    public WeightMatrix projection(Projection p) {
        return projections[p.ordinal()];
    }

    public boolean hasQkNorm() {
        return qNorm != null;
    }
}
