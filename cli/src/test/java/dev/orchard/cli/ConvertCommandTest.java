package dev.orchard.cli;

import dev.orchard.core.model.LanguageModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.orchard.cli.TrainCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchard convert} and {@code orchard generate} as a new user meets them. */
class ConvertCommandTest {

    @Test
    void convertsBothWaysKeepingTheTokenizerAndNeverOverwritesWithoutForce(@TempDir Path tmp) throws IOException {
        Path gguf = tmp.resolve("tiny.gguf");
        Path hf = tmp.resolve("tiny-hf");
        StringWriter err = new StringWriter();
        assertThat(run(err, "convert", "--random", "tiny", "--output", gguf.toString(), "--encoding", "f16")).as(err.toString()).isZero();
        assertThat(run(err, "convert", "--model", gguf.toString(), "--output", hf.toString(), "--encoding", "f32")).as(err.toString()).isZero();
        assertThat(hf.resolve("tokenizer.json")).exists();
        assertThat(hf.resolve("generation_config.json")).exists();
        try (LanguageModel a = LanguageModel.load(gguf); LanguageModel b = LanguageModel.load(hf)) {
            assertThat(b.tokenizer().vocabSize()).isEqualTo(a.tokenizer().vocabSize());
            // F16 weights in the GGUF, the same values widened to F32 in the directory: only the kernels differ
            float[] x = a.logits(new int[] {256, 'h', 'i'});
            float[] y = b.logits(new int[] {256, 'h', 'i'});
            double max = 0;
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
            assertThat(max).isLessThan(1e-4);
        }

        StringWriter again = new StringWriter();
        assertThat(run(again, "convert", "--model", gguf.toString(), "--output", hf.toString(), "--encoding", "f32")).isEqualTo(1);
        assertThat(again.toString()).contains("exists").contains("--force").doesNotContain("\tat ");
        assertThat(run(again, "convert", "--model", gguf.toString(), "--output", hf.toString(), "--encoding", "bf16",
                "--force")).isZero();
        assertThat(Files.readString(hf.resolve("config.json"))).contains("bfloat16");
    }

    @Test
    void aCheckpointWithoutTokenizerIsRefusedUnlessOneIsGiven(@TempDir Path tmp) throws IOException {
        Path golden = Path.of(System.getProperty("orchard.repo", ".."), "testdata/golden/gqa-tied");
        StringWriter err = new StringWriter();
        assertThat(run(err, "convert", "--model", golden.toString(), "--output", tmp.resolve("x.gguf").toString(),
                "--encoding", "f32")).isEqualTo(1);
        assertThat(err.toString()).contains("no tokenizer").contains("tokenizer.json is missing").doesNotContain("\tat ");
        assertThat(tmp.resolve("x.gguf")).doesNotExist();
    }

    @Test
    void generationConfigDefaultsApplyUnlessFlagsOverride(@TempDir Path tmp) throws IOException {
        Path hf = tmp.resolve("m");
        StringWriter err = new StringWriter();
        assertThat(run(err, "convert", "--random", "tiny", "--output", hf.toString(), "--encoding", "f32")).isZero();
        Files.writeString(hf.resolve("generation_config.json"), "{\"do_sample\": false, \"max_new_tokens\": 6}");
        String first = generate(hf);
        String second = generate(hf);
        // greedy from generation_config.json: the same text without a seed, at most 6 tokens (bytes here)
        assertThat(first).isEqualTo(second);
        assertThat(first.strip().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(6 * 4);
        String sampled = generate(hf, "--temperature", "1.5", "--top-k", "0", "--top-p", "1", "--min-p", "0",
                "--seed", "3", "--max-tokens", "6");
        assertThat(sampled).isNotEqualTo(first);
    }

    private static String generate(Path model, String... extra) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[4 + extra.length];
            args[0] = "generate";
            args[1] = "--model";
            args[2] = model.toString();
            args[3] = "--prompt=hello";
            System.arraycopy(extra, 0, args, 4, extra.length);
            StringWriter err = new StringWriter();
            assertThat(run(err, args)).as(err.toString()).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
