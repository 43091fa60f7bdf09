package dev.orchard.cli;

import dev.orchard.core.model.LanguageModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchard pretrain} and {@code orchard finetune --lora} end to end on a tiny model. */
class TrainCommandsTest {

    static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void pretrainThenFinetuneALoraAdapterOnTheResult(@TempDir Path tmp) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add("{\"text\": \"The cat sat on the mat number " + (i % 7) + ".\"}");
        }
        Path corpus = Files.write(tmp.resolve("c.jsonl"), lines);
        Path out = tmp.resolve("model");
        StringWriter err = new StringWriter();
        int code = run(err, "pretrain", "--train", corpus.toString(), "--tokenizer", "byte", "--preset", "tiny",
                "--output", out.toString(), "--steps", "3", "--batch", "2", "--context", "32", "--threads", "1",
                "--eval-docs", "2", "--log-every", "1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.resolve("model.safetensors")).exists();
        assertThat(out.resolve("config.json")).exists();
        assertThat(Files.readAllLines(out.resolve("train_log.jsonl"))).hasSizeGreaterThanOrEqualTo(3);

        Path chats = Files.writeString(tmp.resolve("chat.jsonl"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]}\n");
        code = run(err, "finetune", "--lora", "--model", out.toString(), "--data", chats.toString(), "--output",
                tmp.resolve("adapter").toString(), "--steps", "2", "--batch", "1", "--rank", "2", "--encoding", "q8_0",
                "--targets", "q_proj,v_proj", "--threads", "1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(tmp.resolve("adapter/adapter_config.json"))).contains("v_proj").doesNotContain("k_proj");
        // the byte tokenizer was written beside the weights, so the checkpoint is usable elsewhere
        assertThat(out.resolve("tokenizer.json")).exists();

        // orchard merge: the merged checkpoint computes what base + adapter computes
        Path merged = tmp.resolve("merged");
        Path mergedGguf = tmp.resolve("merged.gguf");
        code = run(err, "merge", "--model", out.toString(), "--adapter", tmp.resolve("adapter").toString(),
                "--output", merged.toString());
        assertThat(code).as(err.toString()).isZero();
        code = run(err, "merge", "--model", out.toString(), "--adapter", tmp.resolve("adapter").toString(),
                "--output", mergedGguf.toString(), "--output-encoding", "f32");
        assertThat(code).as(err.toString()).isZero();
        assertThat(merged.resolve("tokenizer.json")).exists();
        int[] tokens = {256, 'T', 'h', 'e', ' ', 'c', 'a', 't'};
        try (LanguageModel base = LanguageModel.load(out); LanguageModel m = LanguageModel.load(merged);
             LanguageModel g = LanguageModel.load(mergedGguf)) {
            float[] want = base.newSession(16, base.loadAdapter(tmp.resolve("adapter"))).prefillAll(tokens);
            float[] plain = base.logits(tokens);
            assertThat(maxDiff(m.logits(tokens), want)).isLessThan(1e-4);
            assertThat(maxDiff(g.logits(tokens), want)).isLessThan(1e-4);
            assertThat(maxDiff(plain, want)).as("the adapter changes the model").isGreaterThan(1e-6);
        }
        assertThat(run(err, "merge", "--model", out.toString(), "--adapter", tmp.resolve("adapter").toString(),
                "--output", merged.toString())).isEqualTo(1);
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void badInputIsOneClearLine(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        int code = run(err, "pretrain", "--train", tmp.resolve("missing.jsonl").toString(), "--tokenizer", "byte",
                "--output", tmp.resolve("o").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("missing.jsonl").doesNotContain("Exception").doesNotContain("\tat ");
        code = run(err, "finetune", "--lora", "--model", tmp.toString(), "--data", "x.jsonl", "--output",
                tmp.resolve("a").toString(), "--targets", "qq_proj");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("unknown target module 'qq_proj'");
    }
}
