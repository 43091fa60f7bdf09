package dev.orchard.core.model;

import dev.orchard.core.format.FormatException;
import dev.orchard.core.generate.SamplingConfig;
import dev.orchard.core.quant.Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** generation_config.json is read, applied under the caller's choices, and carried through conversions. */
class GenerationDefaultsTest {

    private static final SamplingConfig BASE = new SamplingConfig(0.8, 40, 0.95, 0.05, 1.0, 7);

    private static Path checkpointWith(Path dir, String generationConfig) throws IOException {
        Path out = dir.resolve("m");
        try (LanguageModel lm = CheckpointsTest.tiny(false, 3)) {
            Checkpoints.saveHf(lm, out, Encoding.F32, false);
        }
        Files.writeString(out.resolve("generation_config.json"), generationConfig);
        return out;
    }

    @Test
    void eosIdsAndSamplingDefaultsAreRead(@TempDir Path dir) throws IOException {
        Path m = checkpointWith(dir, """
                {"bos_token_id": 1, "eos_token_id": [2, 5], "do_sample": true, "temperature": 0.6, "top_p": 0.9,
                 "top_k": 20, "repetition_penalty": 1.1, "max_new_tokens": 64, "transformers_version": "4.51.0"}""");
        try (LanguageModel lm = LanguageModel.load(m)) {
            GenerationDefaults g = lm.generationDefaults();
            assertThat(g.eosTokenIds()).containsExactly(2, 5);
            assertThat(g.maxNewTokens()).hasValue(64);
            SamplingConfig s = g.applyTo(BASE);
            assertThat(s).isEqualTo(new SamplingConfig(0.6, 20, 0.9, 0.05, 1.1, 7));
            // converting keeps the file as it was, keys Orchard does not use included
            Path copy = dir.resolve("copy");
            Checkpoints.saveHf(lm, copy, Encoding.F32, false);
            assertThat(Files.readString(copy.resolve("generation_config.json"))).contains("transformers_version");
            try (LanguageModel back = LanguageModel.load(copy)) {
                assertThat(back.generationDefaults().eosTokenIds()).containsExactly(2, 5);
            }
        }
    }

    @Test
    void doSampleFalseIsGreedyAndAbsentKeysKeepTheCallersValues(@TempDir Path dir) throws IOException {
        Path m = checkpointWith(dir, "{\"do_sample\": false, \"eos_token_id\": 2}");
        try (LanguageModel lm = LanguageModel.load(m)) {
            SamplingConfig s = lm.generationDefaults().applyTo(BASE);
            assertThat(s.isGreedy()).isTrue();
            assertThat(s.topK()).isEqualTo(40);
            assertThat(lm.generationDefaults().maxNewTokens()).isEmpty();
        }
    }

    @Test
    void withoutTheFileTheConfigsIdsApply(@TempDir Path dir) throws IOException {
        Path m = checkpointWith(dir, "{}");
        Files.delete(m.resolve("generation_config.json"));
        try (LanguageModel lm = LanguageModel.load(m)) {
            assertThat(lm.generationDefaults().eosTokenIds()).containsExactly(2);
            assertThat(lm.generationDefaults().applyTo(BASE)).isEqualTo(BASE);
        }
    }

    @Test
    void malformedFileIsOneLineNamingIt(@TempDir Path dir) throws IOException {
        Path m = checkpointWith(dir, "{\"temperature\": \"hot\"}");
        assertThatThrownBy(() -> LanguageModel.load(m)).isInstanceOf(FormatException.class)
                .hasMessageContaining("generation_config.json").hasMessageContaining("temperature must be a number");
        Files.writeString(m.resolve("generation_config.json"), "{not json");
        assertThatThrownBy(() -> LanguageModel.load(m)).isInstanceOf(FormatException.class)
                .hasMessageContaining("not valid JSON");
    }
}
