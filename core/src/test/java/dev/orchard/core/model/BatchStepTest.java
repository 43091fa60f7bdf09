package dev.orchard.core.model;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.adapter.RandomAdapters;
import dev.orchard.core.generate.GenerationConfig;
import dev.orchard.core.generate.Generator;
import dev.orchard.core.generate.SamplingConfig;
import dev.orchard.core.generate.Sampler;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Several sequences, each with its own adapter and position, stepped together give what each gives alone. */
class BatchStepTest {

    @TempDir
    Path tmp;

    private static final int MAX_TOKENS = 12;

    @ParameterizedTest
    @ValueSource(strings = {"gqa-tied", "gqa-qknorm"})
    void greedyBatchedDecodeEqualsSingleSequenceDecodeWithMixedAdapters(String golden) throws IOException {
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/" + golden))) {
            List<LoraAdapter> adapters = new ArrayList<>();
            adapters.add(null);
            for (int i = 0; i < 3; i++) {
                adapters.add(lm.loadAdapter(RandomAdapters.write(tmp.resolve(golden + i), lm.config(), 4, 0.3, 40 + i)));
            }
            int sequences = 7;
            int[][] prompts = new int[sequences][];
            int[][] expected = new int[sequences][];
            for (int i = 0; i < sequences; i++) {
                prompts[i] = new int[3 + (i * 5) % 9];
                for (int j = 0; j < prompts[i].length; j++) {
                    prompts[i][j] = 3 + (i * 31 + j * 17) % (lm.config().vocabSize() - 3);
                }
                Session alone = lm.newSession(64, adapters.get(i % adapters.size()));
                expected[i] = new Generator(lm.tokenizer()).generate(alone, prompts[i], SamplingConfig.greedy(),
                        new GenerationConfig(MAX_TOKENS, Set.of(), List.of()), null).tokens();
            }
            // The adapters must actually change the output, or the test proves nothing about them.
            assertThat(expected[1]).isNotEqualTo(expected[0]);

            KVMemoryBudget budget = new KVMemoryBudget(1 << 24);
            BatchStep step = new BatchStep(lm.transformer());
            Session[] sessions = new Session[sequences];
            List<List<Integer>> got = new ArrayList<>();
            int[] next = new int[sequences];
            for (int i = 0; i < sequences; i++) {
                sessions[i] = new Session(lm.transformer(), KVCache.growable(lm.config(), 64, budget),
                        adapters.get(i % adapters.size()));
                got.add(new ArrayList<>());
            }
            // Sequence i joins at step i (its whole prompt prefilled in that step, beside the others' decodes).
            for (int t = 0; t < sequences + MAX_TOKENS; t++) {
                List<Session> batch = new ArrayList<>();
                List<int[]> tokens = new ArrayList<>();
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < sequences; i++) {
                    if (i == t) {
                        batch.add(sessions[i]);
                        tokens.add(prompts[i]);
                        ids.add(i);
                    } else if (i < t && got.get(i).size() < MAX_TOKENS) {
                        batch.add(sessions[i]);
                        tokens.add(new int[] {next[i]});
                        ids.add(i);
                    }
                }
                if (batch.isEmpty()) {
                    break;
                }
                float[][] logits = step.step(batch, tokens);
                for (int b = 0; b < ids.size(); b++) {
                    int i = ids.get(b);
                    next[i] = Sampler.argmax(logits[b]);
                    got.get(i).add(next[i]);
                }
            }
            for (int i = 0; i < sequences; i++) {
                assertThat(got.get(i).stream().mapToInt(Integer::intValue).toArray())
                        .as("sequence %d (adapter %d)", i, i % adapters.size()).containsExactly(expected[i]);
            }
            for (Session s : sessions) {
                s.cache().release();
            }
            assertThat(budget.usedBytes()).isZero();
        }
    }

    @Test
    void aBatchOfOneRunsTheSessionsKernels() throws IOException {
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-tied"))) {
            LoraAdapter a = lm.loadAdapter(RandomAdapters.write(tmp.resolve("a"), lm.config(), 4, 0.3, 1));
            int[] prompt = {1, 17, 33, 9, 4, 77};
            Session alone = lm.newSession(32, a);
            Session batched = new Session(lm.transformer(), KVCache.growable(lm.config(), 32, null), a);
            alone.prefill(prompt);
            new BatchStep(lm.transformer()).step(List.of(batched), List.of(prompt));
            BatchStep step = new BatchStep(lm.transformer());
            for (int t = 0; t < 5; t++) {
                float[] one = alone.decode(10 + t);
                float[] many = step.step(List.of(batched), List.of(new int[] {10 + t}))[0];
                // Same kernels; 1e-5 rather than bit for bit only because the JIT may compile a kernel in between.
                assertThat(many).containsExactly(one, within(1e-5f));
                assertThat(Sampler.argmax(many)).isEqualTo(Sampler.argmax(one));
            }
            assertThat(batched.position()).isEqualTo(alone.position());
        }
    }

    @Test
    void badBatchesAreRefused() throws IOException {
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-tied"))) {
            BatchStep step = new BatchStep(lm.transformer());
            Session s = lm.newSession(4);
            assertThatThrownBy(() -> step.step(List.of(s, s), List.of(new int[] {1}, new int[] {2})))
                    .hasMessageContaining("twice");
            assertThatThrownBy(() -> step.step(List.of(s), List.of(new int[0]))).hasMessageContaining("no tokens");
            assertThatThrownBy(() -> step.step(List.of(s), List.of(new int[] {1, 2, 3, 4, 5})))
                    .hasMessageContaining("context is full");
            assertThatThrownBy(() -> step.step(List.of(s), List.of(new int[] {100000})))
                    .hasMessageContaining("outside the vocabulary");
            Session tight = new Session(lm.transformer(), KVCache.growable(lm.config(), 128, new KVMemoryBudget(100)), null);
            assertThatThrownBy(() -> step.step(List.of(tight), List.of(new int[] {1})))
                    .hasMessageContaining("budget");
            assertThat(Arrays.asList(tight.position())).containsExactly(0);
        }
    }
}
