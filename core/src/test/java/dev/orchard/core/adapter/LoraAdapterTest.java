package dev.orchard.core.adapter;

import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.SafeTensors;
import dev.orchard.core.format.SafeTensorsWriter;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.Session;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoraAdapterTest {

    static final Path BASE = TestData.path("golden/gqa-tied");
    static final Path ADAPTER = TestData.path("golden/gqa-tied/adapter");
    static final int[] TOKENS = {1, 93, 61, 62, 18, 89, 30, 54};

    @Test
    void readsPeftConfig() throws IOException {
        try (LanguageModel lm = LanguageModel.load(BASE)) {
            LoraAdapter a = lm.loadAdapter(ADAPTER);
            assertThat(a.rank()).isEqualTo(4);
            assertThat(a.alpha()).isEqualTo(8.0);
            assertThat(a.targets()).hasSize(7);
            assertThat(a.delta(0, dev.orchard.core.model.Projection.Q_PROJ).scale()).isEqualTo(2.0f);
            LoraAdapter rs = LoraAdapter.load(TestData.path("golden/gqa-qknorm/adapter"),
                    ModelConfig.read(TestData.path("golden/gqa-qknorm/config.json")));
            assertThat(rs.rsLora()).isTrue();
            assertThat((double) rs.delta(1, dev.orchard.core.model.Projection.DOWN_PROJ).scale())
                    .isCloseTo(16 / Math.sqrt(8), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void mergedCopyEqualsSidePathAndLeavesBaseAlone() throws IOException {
        try (LanguageModel lm = LanguageModel.load(BASE)) {
            LoraAdapter a = lm.loadAdapter(ADAPTER);
            float[] side = lm.newSession(16, a).prefillAll(TOKENS);
            float[] merged = new Session(LoraMerge.merge(lm.transformer(), a, Encoding.F32), 16).prefillAll(TOKENS);
            float[] plain = lm.newSession(16).prefillAll(TOKENS);
            double maxDiff = 0;
            double adapterEffect = 0;
            for (int i = 0; i < side.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(side[i] - merged[i]));
                adapterEffect = Math.max(adapterEffect, Math.abs(side[i] - plain[i]));
            }
            assertThat(maxDiff).isLessThan(1e-4);
            assertThat(adapterEffect).isGreaterThan(0.5);
            assertThat(lm.newSession(16).prefillAll(TOKENS)).containsExactly(plain);
        }
    }

    @Test
    void switchingAdaptersMidSessionNeedsNoReload() throws IOException {
        try (LanguageModel lm = LanguageModel.load(BASE)) {
            LoraAdapter a = lm.loadAdapter(ADAPTER);
            Session s = lm.newSession(16);
            float[] before = s.prefill(TOKENS);
            s.reset();
            s.setAdapter(a);
            float[] with = s.prefill(TOKENS);
            s.reset();
            s.setAdapter(null);
            assertThat(s.prefill(TOKENS)).containsExactly(before);
            assertThat(with).isNotEqualTo(before);
        }
    }

    @Test
    void cacheEvictsLeastRecentlyUsedUnderBudget(@TempDir Path dir) throws IOException {
        ModelConfig config = ModelConfig.read(BASE.resolve("config.json"));
        long size = LoraAdapter.load(ADAPTER, config).byteSize();
        AdapterCache cache = new AdapterCache(config, 2 * size + size / 2); // room for two
        for (String name : new String[] {"a", "b", "c"}) {
            Path copy = dir.resolve(name);
            Files.createDirectories(copy);
            Files.copy(ADAPTER.resolve("adapter_config.json"), copy.resolve("adapter_config.json"));
            Files.copy(ADAPTER.resolve("adapter_model.safetensors"), copy.resolve("adapter_model.safetensors"));
            cache.register(name, copy);
        }
        LoraAdapter a = cache.get("a");
        cache.get("b");
        assertThat(cache.get("a")).isSameAs(a); // a is now most recent
        cache.get("c");                          // evicts b
        assertThat(cache.isCached("a")).isTrue();
        assertThat(cache.isCached("b")).isFalse();
        assertThat(cache.isCached("c")).isTrue();
        AdapterCache.Stats stats = cache.stats();
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(3);
        assertThat(stats.evictions()).isEqualTo(1);
        assertThat(stats.bytes()).isEqualTo(2 * size);
        assertThatThrownBy(() -> cache.get("nope")).hasMessageContaining("unknown adapter 'nope'");
        AdapterCache tiny = new AdapterCache(config, size / 2);
        tiny.register("a", dir.resolve("a"));
        assertThatThrownBy(() -> tiny.get("a")).hasMessageContaining("more than the whole cache budget");
    }

    /** Copies the golden adapter, rewriting its config and dropping or reshaping tensors. */
    static Path variant(Path dir, String configJson, Predicate<String> keep, String reshape) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("adapter_config.json"), configJson != null ? configJson
                : Files.readString(ADAPTER.resolve("adapter_config.json")));
        try (SafeTensors st = SafeTensors.open(ADAPTER.resolve("adapter_model.safetensors"))) {
            SafeTensorsWriter w = new SafeTensorsWriter(Map.of());
            for (SafeTensors.Tensor t : st.tensors().values()) {
                if (!keep.test(t.name())) {
                    continue;
                }
                if (t.name().equals(reshape)) {
                    long[] shape = {t.shape()[1], t.shape()[0]};
                    w.add(t.name(), t.dtype(), shape, t.data());
                } else {
                    w.add(t.name(), t.dtype(), t.shape(), t.data());
                }
            }
            w.write(dir.resolve("adapter_model.safetensors"));
        }
        return dir;
    }

    @Test
    void clearErrorsBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        ModelConfig config = ModelConfig.read(BASE.resolve("config.json"));
        String original = Files.readString(ADAPTER.resolve("adapter_config.json"));
        String qA = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";

        assertThatThrownBy(() -> LoraAdapter.load(variant(dir.resolve("missing"), null, n -> !n.equals(qA), null), config))
                .isInstanceOf(FormatException.class).hasMessageContaining("has lora_B but not lora_A");
        assertThatThrownBy(() -> LoraAdapter.load(variant(dir.resolve("shape"), null, n -> true,
                "base_model.model.model.layers.1.mlp.down_proj.lora_A.weight"), config))
                .isInstanceOf(FormatException.class).hasMessageContaining("different base");
        assertThatThrownBy(() -> LoraAdapter.load(variant(dir.resolve("target"),
                original.replace("\"q_proj\"", "\"embed_tokens\""), n -> true, null), config))
                .isInstanceOf(FormatException.class).hasMessageContaining("unsupported target_modules [embed_tokens]");
        assertThatThrownBy(() -> LoraAdapter.load(variant(dir.resolve("dora"),
                original.replace("\"use_dora\": false", "\"use_dora\": true"), n -> true, null), config))
                .hasMessageContaining("DoRA");
        ModelConfig otherBase = ModelConfig.read(TestData.path("golden/untied-3q/config.json"));
        assertThatThrownBy(() -> LoraAdapter.load(ADAPTER, otherBase)).isInstanceOf(FormatException.class)
                .hasMessageContaining("different base");
        assertThatThrownBy(() -> LoraAdapter.load(dir.resolve("nothing-here"), config))
                .hasMessageContaining("no adapter_config.json");
    }
}
