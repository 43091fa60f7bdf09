package dev.orchard.cli;

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
