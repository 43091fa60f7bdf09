package dev.orchard.core.model;

import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.TensorSource;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;

/**
 * The weights of a Llama-family decoder, views of memory-mapped files. With tied embeddings the same
 * {@link WeightMatrix} is both the input embedding and the output projection: one mapping, used twice.
 */
public final class Transformer {

    private final ModelConfig config;
    private final WeightMatrix embedTokens;
    private final WeightMatrix lmHead;
    private final Layer[] layers;
    private final float[] norm;
    private final boolean adjacentPairRope;

    public Transformer(ModelConfig config, WeightMatrix embedTokens, WeightMatrix lmHead, Layer[] layers, float[] norm,
                       boolean adjacentPairRope) {
        this.config = config;
        this.embedTokens = embedTokens;
        this.lmHead = lmHead;
        this.layers = layers;
        this.norm = norm;
        this.adjacentPairRope = adjacentPairRope;
    }

    /**
     * Binds the tensors of {@code source} to {@code config}'s shapes. Every tensor is checked before anything runs;
     * the tied-weight quirks (embedding stored only as {@code lm_head}) are resolved here, the one sanitize step.
     */
    public static Transformer load(ModelConfig config, TensorSource source) {
        int hidden = config.hiddenSize();
        int vocab = config.vocabSize();
        String embedName = "model.embed_tokens.weight";
        String headName = "lm_head.weight";
        WeightMatrix embed;
        WeightMatrix head;
        if (source.has(embedName)) {
            embed = source.matrix(embedName, vocab, hidden);
            head = config.tieWordEmbeddings() || !source.has(headName) ? embed : source.matrix(headName, vocab, hidden);
        } else if (source.has(headName)) {
            // Tied weights stored under the output name only (safetensors __metadata__ may record the alias).
            embed = source.matrix(headName, vocab, hidden);
            head = embed;
        } else {
            throw new FormatException("checkpoint has neither " + embedName + " nor " + headName);
        }
        Layer[] layers = new Layer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String prefix = "model.layers." + i + ".";
            WeightMatrix[] projections = new WeightMatrix[Projection.values().length];
            for (Projection p : Projection.values()) {
                projections[p.ordinal()] = source.matrix(p.weightName(i), p.outFeatures(config), p.inFeatures(config));
            }
            boolean hasQkNorm = source.has(prefix + "self_attn.q_norm.weight");
            if (config.qkNorm() && !hasQkNorm) {
                throw new FormatException("config says qk_norm but layer " + i + " has no self_attn.q_norm.weight");
            }
            float[] qNorm = hasQkNorm ? source.vector(prefix + "self_attn.q_norm.weight", config.headDim()) : null;
            float[] kNorm = hasQkNorm ? source.vector(prefix + "self_attn.k_norm.weight", config.headDim()) : null;
            layers[i] = new Layer(source.vector(prefix + "input_layernorm.weight", hidden),
                    source.vector(prefix + "post_attention_layernorm.weight", hidden), qNorm, kNorm, projections);
        }
        float[] norm = source.vector("model.norm.weight", hidden);
        return new Transformer(config, embed, head, layers, norm, source.adjacentPairRope());
    }

    /** A copy whose 2-D weights are re-encoded as {@code encoding} (off-heap); norms are shared. */
    public Transformer reencode(Encoding encoding) {
        java.util.IdentityHashMap<WeightMatrix, WeightMatrix> done = new java.util.IdentityHashMap<>();
        java.util.function.UnaryOperator<WeightMatrix> convert = w -> done.computeIfAbsent(w, m ->
                m.encoding() == encoding ? m : WeightMatrices.encode(encoding, m.dequantize(), m.rows(), m.cols()));
        Layer[] converted = new Layer[layers.length];
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            WeightMatrix[] ps = new WeightMatrix[l.projections().length];
            for (int p = 0; p < ps.length; p++) {
                ps[p] = convert.apply(l.projections()[p]);
            }
            converted[i] = new Layer(l.inputLayernorm(), l.postAttentionLayernorm(), l.qNorm(), l.kNorm(), ps);
        }
        return new Transformer(config, convert.apply(embedTokens), convert.apply(lmHead), converted, norm,
                adjacentPairRope);
    }

    /** The same weights (no copy) computed with {@code path}'s kernels, e.g. the float path for exact references. */
    public Transformer withKernels(dev.orchard.core.quant.KernelPath path) {
        java.util.IdentityHashMap<WeightMatrix, WeightMatrix> done = new java.util.IdentityHashMap<>();
        java.util.function.UnaryOperator<WeightMatrix> rewrap = w -> done.computeIfAbsent(w, m ->
                WeightMatrices.wrap(m.encoding(), m.data(), m.rows(), m.cols(), path));
        Layer[] rewrapped = new Layer[layers.length];
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            WeightMatrix[] ps = new WeightMatrix[l.projections().length];
            for (int p = 0; p < ps.length; p++) {
                ps[p] = rewrap.apply(l.projections()[p]);
            }
            rewrapped[i] = new Layer(l.inputLayernorm(), l.postAttentionLayernorm(), l.qNorm(), l.kNorm(), ps);
        }
        return new Transformer(config, rewrap.apply(embedTokens), rewrap.apply(lmHead), rewrapped, norm, adjacentPairRope);
    }

    public ModelConfig config() {
        return config;
    }

    public WeightMatrix embedTokens() {
        return embedTokens;
    }

    public WeightMatrix lmHead() {
        return lmHead;
    }

    public boolean tied() {
        return embedTokens == lmHead;
    }

    public Layer layer(int i) {
        return layers[i];
    }

    public int layerCount() {
        return layers.length;
    }

    public float[] norm() {
        return norm;
    }

    public boolean adjacentPairRope() {
        return adjacentPairRope;
    }

    /**
     * Bytes read to produce one token: every matrix once (a tied embedding once), with the side data its kernels
     * read (see {@link WeightMatrix#bytesReadPerMatVec()}).
     */
    public long weightBytesPerToken() {
        long bytes = lmHead.bytesReadPerMatVec();
        for (Layer l : layers) {
            for (WeightMatrix w : l.projections()) {
                bytes += w.bytesReadPerMatVec();
            }
        }
        return bytes;
    }

    /** Bytes of all weights as stored, a tied embedding counted once. */
    public long weightBytes() {
        long bytes = lmHead.byteSize() + (tied() ? 0 : embedTokens.byteSize());
        for (Layer l : layers) {
            for (WeightMatrix w : l.projections()) {
                bytes += w.byteSize();
            }
        }
        return bytes;
    }
}
