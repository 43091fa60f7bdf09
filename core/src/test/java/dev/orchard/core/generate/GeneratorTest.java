package dev.orchard.core.generate;

import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.RandomModels;
import dev.orchard.core.model.Session;
import dev.orchard.core.quant.Encoding;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorTest {

    private static final LanguageModel LM = LanguageModel.of(RandomModels.create(ModelConfig.tiny(), Encoding.F32, 11));

    @Test
    void streamedPiecesAddUpToTheText() {
        Generator g = new Generator(LM.tokenizer());
        List<String> pieces = new ArrayList<>();
        Generation gen = g.generate(LM.newSession(128), LM.tokenizer().encode("Hello", true),
                new SamplingConfig(0.8, 0, 1, 0, 1, 5), new GenerationConfig(40, Set.of(), List.of()), pieces::add);
        assertThat(String.join("", pieces)).isEqualTo(gen.text());
        assertThat(gen.tokens()).hasSizeLessThanOrEqualTo(40);
        assertThat(gen.finishReason()).isEqualTo("length");
    }

    @Test
    void sameSeedSameText() {
        Generator g = new Generator(LM.tokenizer());
        SamplingConfig cfg = new SamplingConfig(1.0, 40, 0.95, 0, 1.1, 1234);
        int[] prompt = LM.tokenizer().encode("abc", true);
        GenerationConfig stop = new GenerationConfig(30, Set.of(), List.of());
        assertThat(g.generate(LM.newSession(64), prompt, cfg, stop, null).tokens())
                .containsExactly(g.generate(LM.newSession(64), prompt, cfg, stop, null).tokens());
    }

    @Test
    void greedyEqualsArgmaxChain() {
        int[] prompt = LM.tokenizer().encode("xyz", true);
        Generation gen = new Generator(LM.tokenizer()).generate(LM.newSession(64), prompt, SamplingConfig.greedy(),
                new GenerationConfig(10, Set.of(), List.of()), null);
        Session s = LM.newSession(64);
        float[] logits = s.prefill(prompt);
        for (int t : gen.tokens()) {
            assertThat(t).isEqualTo(Sampler.argmax(logits));
            logits = s.decode(t);
        }
    }

    @Test
    void stopTokenEndsGenerationWithoutBeingEmitted() {
        int[] prompt = LM.tokenizer().encode("q", true);
        Generator g = new Generator(LM.tokenizer());
        Generation free = g.generate(LM.newSession(64), prompt, SamplingConfig.greedy(),
                new GenerationConfig(8, Set.of(), List.of()), null);
        int stopToken = free.tokens()[3];
        int firstStop = 0;
        while (free.tokens()[firstStop] != stopToken) {
            firstStop++;
        }
        Generation stopped = g.generate(LM.newSession(64), prompt, SamplingConfig.greedy(),
                new GenerationConfig(8, Set.of(stopToken), List.of()), null);
        assertThat(stopped.finishReason()).isEqualTo("stop");
        assertThat(stopped.tokens()).hasSize(firstStop);
    }

    @Test
    void stopStringCutsTextAndIsNeverStreamed() {
        int[] prompt = LM.tokenizer().encode("q", true);
        Generator g = new Generator(LM.tokenizer());
        String free = g.generate(LM.newSession(64), prompt, SamplingConfig.greedy(),
                new GenerationConfig(12, Set.of(), List.of()), null).text();
        String stopString = free.substring(4, 6);
        List<String> pieces = new ArrayList<>();
        Generation stopped = g.generate(LM.newSession(64), prompt, SamplingConfig.greedy(),
                new GenerationConfig(12, Set.of(), List.of(stopString)), pieces::add);
        assertThat(stopped.text()).isEqualTo(free.substring(0, free.indexOf(stopString)));
        assertThat(String.join("", pieces)).isEqualTo(stopped.text());
        assertThat(stopped.finishReason()).isEqualTo("stop");
    }

    @Test
    void utf8SequencesSplitAcrossTokensAreHeldBack() {
        Utf8Stream s = new Utf8Stream();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertThat(s.push(new byte[] {'a', euro[0]})).isEqualTo("a");
        assertThat(s.push(new byte[] {euro[1]})).isEmpty();
        assertThat(s.push(new byte[] {euro[2], 'b'})).isEqualTo("€b");
        assertThat(s.push(new byte[] {(byte) 0xF0, (byte) 0x9F})).isEmpty();
        assertThat(s.flush()).isEqualTo("\uFFFD");
    }
}
