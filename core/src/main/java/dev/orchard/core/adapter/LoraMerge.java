package dev.orchard.core.adapter;

import dev.orchard.core.model.Layer;
import dev.orchard.core.model.Projection;
import dev.orchard.core.model.Transformer;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;

/**
 * Merge-into-copy: a new transformer whose targeted projections are {@code W + scale * B A}, re-encoded in the
 * base matrix's encoding (or a given one). The base is not modified and stays shareable.
 */
public final class LoraMerge {

    private LoraMerge() {
    }

    public static Transformer merge(Transformer base, LoraAdapter adapter, Encoding encoding) {
        if (adapter.layerCount() != base.layerCount()) {
            throw new IllegalArgumentException("adapter " + adapter.name() + " has " + adapter.layerCount()
                    + " layers, the base has " + base.layerCount());
        }
        Layer[] layers = new Layer[base.layerCount()];
        for (int l = 0; l < layers.length; l++) {
            Layer src = base.layer(l);
            WeightMatrix[] ps = src.projections().clone();
            for (Projection p : Projection.values()) {
                LoraDelta d = adapter.delta(l, p);
                if (d == null) {
                    continue;
                }
                WeightMatrix w = ps[p.ordinal()];
                float[] merged = w.dequantize();
                float[] delta = d.denseDelta();
                for (int i = 0; i < merged.length; i++) {
                    merged[i] += delta[i];
                }
                ps[p.ordinal()] = WeightMatrices.encode(encoding != null ? encoding : w.encoding(), merged, w.rows(), w.cols());
            }
            layers[l] = new Layer(src.inputLayernorm(), src.postAttentionLayernorm(), src.qNorm(), src.kNorm(), ps);
        }
        return new Transformer(base.config(), base.embedTokens(), base.lmHead(), layers, base.norm(),
                base.adjacentPairRope());
    }
}
