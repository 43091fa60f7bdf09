package dev.orchard.core.model;

import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Growable caches compute what full ones do. Logits are compared to 1e-5, not bit for bit: the JIT may compile a
 * kernel between the two computations, and compiled and interpreted code can round a few operations differently.
 */
class KVCacheTest {

    @Test
    void aGrowableCacheGivesTheSameLogitsAcrossBlockBoundaries() throws IOException {
        try (LanguageModel lm = LanguageModel.load(TestData.path("golden/gqa-qknorm"))) {
            Session full = lm.newSession(128);
            KVMemoryBudget budget = new KVMemoryBudget(1 << 24);
            Session grown = new Session(lm.transformer(), KVCache.growable(lm.config(), 128, budget), null);
            assertThat(grown.cache().allocated()).isZero();
            int[] prompt = new int[70];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = 3 + (i * 7) % 100;
            }
            assertThat(grown.prefill(prompt)).containsExactly(full.prefill(prompt), within(1e-5f));
            assertThat(grown.cache().allocated()).isBetween(70, 128);
            for (int t = 0; t < 40; t++) {
                assertThat(grown.decode(5 + t)).containsExactly(full.decode(5 + t), within(1e-5f));
            }
            assertThat(budget.usedBytes()).isEqualTo(grown.cache().byteSize());
            assertThat(grown.cache().byteSize()).isLessThanOrEqualTo(full.cache().byteSize());
            grown.cache().release();
            assertThat(budget.usedBytes()).isZero();
        }
    }

    @Test
    void growthIsByBlocksUnderTheBudget() {
        ModelConfig c = ModelConfig.tiny();
        long oneBlock = KVCache.bytesFor(c, KVCache.BLOCK_POSITIONS);
        KVMemoryBudget budget = new KVMemoryBudget(oneBlock * 3);
        KVCache a = KVCache.growable(c, 1000, budget);
        assertThat(a.reserve(1)).isTrue();
        assertThat(a.allocated()).isEqualTo(KVCache.BLOCK_POSITIONS);
        assertThat(budget.usedBytes()).isEqualTo(oneBlock);
        KVCache b = KVCache.growable(c, 1000, budget);
        assertThat(b.reserve(2 * KVCache.BLOCK_POSITIONS)).isTrue();
        assertThat(a.reserve(KVCache.BLOCK_POSITIONS + 1)).as("the budget is spent").isFalse();
        assertThat(a.allocated()).isEqualTo(KVCache.BLOCK_POSITIONS);
        b.release();
        assertThat(a.reserve(KVCache.BLOCK_POSITIONS + 1)).isTrue();
        assertThat(a.reserve(1001)).as("past the capacity").isFalse();
    }
}
