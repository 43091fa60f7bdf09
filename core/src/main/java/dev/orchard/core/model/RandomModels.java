package dev.orchard.core.model;

import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;
import dev.orchard.core.tokenizer.BpeTokenizer;
import dev.orchard.core.tokenizer.Tokenizers;

import java.util.List;

import java.util.SplittableRandom;

/**
 * Random-weight models of any shape, built in memory (off-heap) for benchmarks and tests, since no real weights can
 * be downloaded here. Deterministic for a seed. Scales keep activations and logits of order one: projections
 * N(0, 1/in_features), embeddings N(0, 0.25), norm weights 1 +- 0.1.
 */
public final class RandomModels {

    private RandomModels() {
    }

    /**
     * A real (byte-level BPE) tokenizer of {@code config}'s vocabulary size with its BOS/EOS ids, so that files
     * written from a random model carry a tokenizer other tools accept (llama.cpp refuses GGUF files without one).
     * Its merges are enumerated rather than learned (see {@link Tokenizers#synthetic}).
     */
    public static BpeTokenizer tokenizer(ModelConfig config) {
        List<Integer> eos = config.eosTokenIds();
        return Tokenizers.synthetic(config.vocabSize(), config.bosTokenId(), eos.isEmpty() ? -1 : eos.get(0));
    }

    public static Transformer create(ModelConfig config, Encoding encoding, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        WeightMatrix embed = matrix(config.vocabSize(), config.hiddenSize(), 0.25, encoding, root.split());
        WeightMatrix head = config.tieWordEmbeddings() ? embed
                : matrix(config.vocabSize(), config.hiddenSize(), 1 / Math.sqrt(config.hiddenSize()), encoding, root.split());
        Layer[] layers = new Layer[config.numHiddenLayers()];
        for (int l = 0; l < layers.length; l++) {
            WeightMatrix[] ps = new WeightMatrix[Projection.values().length];
            for (Projection p : Projection.values()) {
                ps[p.ordinal()] = matrix(p.outFeatures(config), p.inFeatures(config), 1 / Math.sqrt(p.inFeatures(config)),
                        encoding, root.split());
            }
            float[] qNorm = config.qkNorm() ? norm(config.headDim(), root.split()) : null;
            float[] kNorm = config.qkNorm() ? norm(config.headDim(), root.split()) : null;
            layers[l] = new Layer(norm(config.hiddenSize(), root.split()), norm(config.hiddenSize(), root.split()),
                    qNorm, kNorm, ps);
        }
        return new Transformer(config, embed, head, layers, norm(config.hiddenSize(), root.split()), false);
    }

    private static float[] norm(int n, SplittableRandom random) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (1 + 0.1 * random.nextGaussian());
        }
        return w;
    }

    /** Fills rows in parallel (each row from its own split stream, so the result does not depend on threads). */
    private static WeightMatrix matrix(int rows, int cols, double std, Encoding encoding, SplittableRandom random) {
        float[] values = new float[Math.multiplyExact(rows, cols)];
        long rowSeed = random.nextLong();
        Parallel.forRange(rows, 64, (start, end) -> {
            for (int r = start; r < end; r++) {
                SplittableRandom rowRandom = new SplittableRandom(rowSeed ^ (0x9E3779B97F4A7C15L * (r + 1)));
                for (int c = 0; c < cols; c++) {
                    values[r * cols + c] = (float) (std * rowRandom.nextGaussian());
                }
            }
        });
        return WeightMatrices.encode(encoding, values, rows, cols);
    }
}
