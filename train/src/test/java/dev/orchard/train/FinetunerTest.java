package dev.orchard.train;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.Projection;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.tokenizer.ByteTokenizer;
import dev.orchard.core.tokenizer.Tokenizers;
import dev.orchard.core.tokenizer.ChatMessage;
import dev.orchard.core.tokenizer.ChatTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinetunerTest {

    /**
     * A random base in the Hugging Face layout (byte vocabulary). Its embedding is scaled up from the pretraining
     * initialisation (std 0.02) to 0.4: with a frozen tied head of std 0.02 no adapter could move the logits far.
     */
    static Path randomBase(Path dir) throws IOException {
        TrainingModel m = TrainingModel.initialize(PretrainerTest.SMALL, 5);
        for (int i = 0; i < m.embed.size(); i++) {
            m.embed.data()[i] *= 20;
        }
        m.saveCheckpoint(dir, Map.of("format", "pt"));
        // the byte layout (ids 0-255 bytes, 256 BOS, 257 EOS) as tokenizer.json: a checkpoint needs its tokenizer
        Tokenizers.synthetic(PretrainerTest.SMALL.vocabSize(), ByteTokenizer.BOS, ByteTokenizer.EOS)
                .save(dir.resolve("tokenizer.json"));
        return dir;
    }

    static Path chats(Path file, int n) throws IOException {
        String[] colors = {"red", "blue", "green", "yellow"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = colors[i % 4];
            lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"Say " + c + ".\"}, "
                    + "{\"role\": \"assistant\", \"content\": \"" + c + " " + c + "!\"}]}");
        }
        Files.write(file, lines);
        return file;
    }

    static FinetuneOptions options(Path base, Path data, Path out) {
        FinetuneOptions o = new FinetuneOptions();
        o.base = base;
        o.data = data;
        o.output = out;
        o.rank = 4;
        o.alpha = 8;
        o.steps = 25;
        o.batchSize = 4;
        o.learningRate = 2e-2;
        o.minLearningRate = 2e-3;
        o.warmupSteps = 2;
        o.threads = 2;
        o.logEvery = 5;
        return o;
    }

    @Test
    void assistantTokensAloneAreTrained() {
        List<ChatMessage> conv = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello!"), ChatMessage.user("Name a color"), ChatMessage.assistant("Red."));
        ByteTokenizer tok = new ByteTokenizer();
        SftExamples.Encoded e = SftExamples.conversation(conv, tok, ChatTemplate.orchardDefault(), "test");
        assertThat(tok.decode(e.tokens())).isEqualTo(ChatTemplate.orchardDefault().render(conv, false));
        StringBuilder trained = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < e.targets().length; p++) {
            if (e.targets()[p] != Losses.IGNORE) {
                assertThat(e.targets()[p]).isEqualTo(e.tokens()[p + 1]);
                ids.add(e.targets()[p]);
            }
        }
        trained.append(tok.decode(ids.stream().mapToInt(Integer::intValue).toArray()));
        assertThat(trained.toString()).isEqualTo("Hello!<|end|>\nRed.<|end|>\n");
        assertThatThrownBy(() -> SftExamples.conversation(List.of(ChatMessage.user("hi")), tok,
                ChatTemplate.orchardDefault(), "x")).hasMessageContaining("no assistant message");
    }

    @Test
    void loraOnAQuantizedBaseRoundTripsThroughCore(@TempDir Path tmp) throws IOException {
        Path base = randomBase(tmp.resolve("base"));
        FinetuneOptions o = options(base, chats(tmp.resolve("chat.jsonl"), 40), tmp.resolve("adapter"));
        o.reencode = Encoding.Q4_0;
        Finetuner.Result r = new Finetuner(o, null).run();
        assertThat(r.lastLoss()).isLessThan(0.5 * r.firstLoss());
        // per layer, rank * (in + out) for q (32->32), k, v (32->16), o (32->32), gate, up (32->64), down (64->32)
        assertThat(r.trainableParameters()).isEqualTo(2L * 4 * (64 + 48 + 48 + 64 + 96 + 96 + 96));
        assertThat(Files.readString(tmp.resolve("adapter/adapter_config.json"))).contains("\"r\" : 4").contains("q_proj");

        try (LanguageModel lm = LanguageModel.load(base, new LanguageModel.Options(Encoding.Q4_0))) {
            LoraAdapter adapter = lm.loadAdapter(tmp.resolve("adapter"));
            assertThat(adapter.rank()).isEqualTo(4);
            assertThat(adapter.targets()).isEqualTo(EnumSet.allOf(Projection.class));
            TrainingModel m = TrainingModel.of(lm.transformer(), false);
            m.loadLora(adapter);
            // the saved adapter reproduces the trained loss ...
            List<SftExamples.Encoded> data = SftExamples.read(o.data, lm.tokenizer(), ChatTemplate.orchardDefault(), 512);
            assertThat(Finetuner.validLoss(m, data)).isLessThan(0.6 * r.firstLoss());
            // ... and core's inference with it gives the training forward's logits
            int[] tokens = data.get(0).tokens();
            float[] train = m.forward(new Tape(), new Grads(List.of()), tokens).data;
            float[] core = lm.newSession(tokens.length, adapter).prefillAll(tokens);
            float[] bare = lm.logits(tokens);
            assertThat(ParityTest.maxDiff(train, core)).isLessThan(0.05);
            assertThat(ParityTest.maxDiff(core, bare)).isGreaterThan(0.5);
        }
    }

    @Test
    void loraOnAQ4GgufBaseWithExactParityForF32(@TempDir Path tmp) throws IOException {
        Path gguf = TestFiles.testdata("gguf/tiny-q4_0.gguf");
        FinetuneOptions o = options(gguf, chats(tmp.resolve("chat.jsonl"), 20), tmp.resolve("adapter"));
        o.steps = 6;
        o.targets = EnumSet.of(Projection.Q_PROJ, Projection.V_PROJ);
        Finetuner.Result r = new Finetuner(o, null).run();
        assertThat(r.lastLoss()).isLessThan(r.firstLoss());
        try (LanguageModel lm = LanguageModel.load(gguf)) {
            LoraAdapter adapter = lm.loadAdapter(tmp.resolve("adapter"));
            assertThat(adapter.targets()).containsExactlyInAnyOrder(Projection.Q_PROJ, Projection.V_PROJ);
            assertThat(adapter.delta(0, Projection.K_PROJ)).isNull();
        }

        Path base = randomBase(tmp.resolve("base"));
        FinetuneOptions f = options(base, o.data, tmp.resolve("adapter32"));
        f.steps = 5;
        new Finetuner(f, null).run();
        try (LanguageModel lm = LanguageModel.load(base)) {
            LoraAdapter adapter = lm.loadAdapter(tmp.resolve("adapter32"));
            TrainingModel m = TrainingModel.of(lm.transformer(), false);
            m.loadLora(adapter);
            int[] tokens = new ByteTokenizer().encode("Say red.", true);
            assertThat(ParityTest.maxDiff(m.forward(new Tape(), new Grads(List.of()), tokens).data,
                    lm.newSession(tokens.length, adapter).prefillAll(tokens))).isLessThan(1e-4);
        }
    }
}
