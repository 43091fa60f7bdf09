package dev.orchard.core.model;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.adapter.LoraDelta;
import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.quant.Encoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Session#decodeAll} gives, token for token, the logits and the cache that decoding the tokens one at a time
 * gives; speculative verification depends on it.
 */
class DecodeAllTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** F32 with an FFN width of 72, which leaves a vector tail at every width; block encodings need 32s. */
    private static ModelConfig config(Encoding encoding) {
        ModelConfig t = ModelConfig.tiny();
        int inter = encoding.blockElements() == 1 ? 72 : 128;
        return new ModelConfig(t.hiddenSize(), inter, t.numAttentionHeads(), t.numKeyValueHeads(),
                t.numHiddenLayers(), t.headDim(), t.rmsNormEps(), t.ropeTheta(), null, t.vocabSize(),
                t.tieWordEmbeddings(), t.maxPositionEmbeddings(), t.qkNorm(), t.bosTokenId(), List.of(257));
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"F32", "F16", "Q8_0", "Q4_0"})
    void logitsEqualOneTokenAtATime(Encoding encoding) {
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            ModelConfig config = config(encoding);
            Transformer model = RandomModels.create(config, encoding, 5);
            LoraAdapter adapter = adapter(config, 9);
            for (LoraAdapter a : new LoraAdapter[] {null, adapter}) {
                int[] prompt = {256, 17, 99, 3, 200, 45};
                int[] next = {12, 250, 7, 7, 131};
                Session one = new Session(model, 64, a);
                one.prefill(prompt);
                float[][] expected = new float[next.length][];
                for (int i = 0; i < next.length; i++) {
                    expected[i] = one.decode(next[i]);
                }
                Session all = new Session(model, 64, a);
                all.prefill(prompt);
                float[] logits = all.decodeAll(next);
                int vocab = config.vocabSize();
                for (int i = 0; i < next.length; i++) {
                    assertThat(Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab))
                            .as("%s, %d threads, adapter %s, token %d", encoding, threads, a != null, i)
                            .containsExactly(expected[i]);
                }
                assertThat(all.position()).isEqualTo(one.position());
                // The caches agree too: the next decoded token sees the same past.
                assertThat(all.decode(42)).containsExactly(one.decode(42));
            }
        }
    }

    /** Rank-4 deltas on q, v and down, so the low-rank path runs in the fused and the single projections. */
    static LoraAdapter adapter(ModelConfig c, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Set<Projection> targets = Set.of(Projection.Q_PROJ, Projection.V_PROJ, Projection.DOWN_PROJ);
        LoraDelta[][] deltas = new LoraDelta[c.numHiddenLayers()][Projection.values().length];
        int rank = 4;
        for (LoraDelta[] layer : deltas) {
            for (Projection p : targets) {
                int in = p.inFeatures(c);
                int out = p.outFeatures(c);
                layer[p.ordinal()] = new LoraDelta(rank, in, out, 2f, gaussian(rank * in, 0.1, random),
                        gaussian(out * rank, 0.1, random));
            }
        }
        return new LoraAdapter("test", rank, 8, false, targets, deltas);
    }

    private static float[] gaussian(int n, double std, SplittableRandom random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
        return v;
    }
}
