package dev.orchard.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchard.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** AdamW against torch.optim.AdamW, clipping, the schedule, and the token file. */
class OptimizerAndDataTest {

    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    @Test
    void adamWMatchesTorch(@TempDir Path tmp) throws IOException {
        JsonNode f = TestFiles.json(TestFiles.testdata("golden-grads/adamw.json"));
        Parameter w = new Parameter("w", 1, 6, floats(f.path("initial").path("decayed")), true, true);
        Parameter g = new Parameter("model.norm.weight", 1, 2, floats(f.path("initial").path("not_decayed")), true, false);
        AdamW adam = new AdamW(List.of(w, g), new AdamW.Settings(0.9, 0.95, 1e-8, f.path("weight_decay").asDouble()));
        Grads grads = new Grads(List.of(w, g));
        for (int s = 0; s < 3; s++) {
            System.arraycopy(floats(f.path("grads").get(s).path("decayed")), 0, grads.of(w), 0, 6);
            System.arraycopy(floats(f.path("grads").get(s).path("not_decayed")), 0, grads.of(g), 0, 2);
            adam.update(grads, f.path("lr").asDouble());
            float[] ew = floats(f.path("after_step").get(s).path("decayed"));
            float[] eg = floats(f.path("after_step").get(s).path("not_decayed"));
            for (int i = 0; i < 6; i++) {
                assertThat(w.data()[i]).as("step %d w[%d]", s, i).isCloseTo(ew[i], offset(1e-5f));
            }
            for (int i = 0; i < 2; i++) {
                assertThat(g.data()[i]).as("step %d g[%d]", s, i).isCloseTo(eg[i], offset(1e-5f));
            }
            if (s == 1) {
                // the state round-trips through a checkpoint file
                adam.save(tmp.resolve("opt.safetensors"));
                AdamW copy = new AdamW(List.of(w, g), new AdamW.Settings(0.9, 0.95, 1e-8, f.path("weight_decay").asDouble()));
                copy.load(tmp.resolve("opt.safetensors"));
                assertThat(copy.step()).isEqualTo(2);
                adam = copy;
            }
        }
    }

    @Test
    void clippingScalesToTheMaximumGlobalNorm() {
        Parameter a = new Parameter("a", 1, 2, new float[2], true, true);
        Parameter b = new Parameter("b", 1, 1, new float[1], true, true);
        Grads g = new Grads(List.of(a, b));
        g.of(a)[0] = 3;
        g.of(a)[1] = 0;
        g.of(b)[0] = 4;
        assertThat(AdamW.clip(g, 1.0)).isCloseTo(5.0, offset(1e-9));
        assertThat(g.of(a)[0]).isCloseTo(0.6f, offset(1e-6f));
        assertThat(g.of(b)[0]).isCloseTo(0.8f, offset(1e-6f));
        assertThat(AdamW.clip(g, 10.0)).isCloseTo(1.0, offset(1e-6));
        assertThat(g.of(b)[0]).isCloseTo(0.8f, offset(1e-6f));
    }

    @Test
    void warmupThenCosine() {
        LrSchedule s = new LrSchedule(1e-3, 1e-4, 10, 110);
        assertThat(s.at(0)).isCloseTo(1e-4, offset(1e-12));
        assertThat(s.at(9)).isCloseTo(1e-3, offset(1e-12));
        assertThat(s.at(10)).isCloseTo(1e-3, offset(1e-12));
        assertThat(s.at(60)).isCloseTo(5.5e-4, offset(1e-12));
        assertThat(s.at(110)).isCloseTo(1e-4, offset(1e-12));
        assertThat(s.at(35)).isGreaterThan(s.at(36));
        assertThatThrownBy(() -> new LrSchedule(1e-4, 1e-3, 0, 10)).hasMessageContaining("min");
    }

    @Test
    void tokenFilePacksDocumentsWithBosAndEos(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("t.tokens");
        TokenFile.write(List.of("ab", "c"), new ByteTokenizer(), file, "src-1");
        assertThat(Files.size(file)).isEqualTo(7 * 2); // uint16
        assertThat(TokenFile.sourceOf(file)).isEqualTo("src-1");
        try (TokenFile t = TokenFile.open(file)) {
            int[] all = new int[(int) t.size()];
            t.read(0, all);
            assertThat(all).containsExactly(256, 'a', 'b', 257, 256, 'c', 257);
            assertThat(t.documents()).isEqualTo(2);
            assertThat(t.vocabSize()).isEqualTo(258);
        }
        Files.write(file, new byte[6]);
        assertThatThrownBy(() -> TokenFile.open(file)).hasMessageContaining("the sidecar says 7");
    }

    @Test
    void corpusReadsJsonlAndPlainText(@TempDir Path tmp) throws IOException {
        Path jsonl = tmp.resolve("c.jsonl");
        Files.writeString(jsonl, "{\"text\": \"one\"}\n\n{\"text\": \"two\", \"x\": 1}\n");
        assertThat(Corpus.read(jsonl)).containsExactly("one", "two");
        Path txt = tmp.resolve("c.txt");
        Files.writeString(txt, "first doc\nline two\n\n\nsecond doc\n");
        assertThat(Corpus.read(txt)).containsExactly("first doc\nline two", "second doc");
        Files.writeString(jsonl, "{\"body\": \"x\"}\n");
        assertThatThrownBy(() -> Corpus.read(jsonl)).hasMessageContaining("line 1").hasMessageContaining("'text'");
    }
}
