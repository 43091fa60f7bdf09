package dev.orchard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenizerCommandTest {

    private static final Path GPT2 = Path.of(System.getProperty("orchard.repo", "..")).resolve("testdata/tokenizer/ggml-vocab-gpt-2.gguf");
    private static final Path SPM = Path.of(System.getProperty("orchard.repo", "..")).resolve("testdata/tokenizer/ggml-vocab-llama-spm.gguf");

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        InputStream oldIn = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            CommandLine cli = Main.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(oldIn);
        }
    }

    @Test
    void encodePrintsIdsOnOneLineWithoutSpecialTokensByDefault() {
        assertThat(run("Hello world", "tokenizer", "encode", "--tokenizer", GPT2.toString()).out())
                .isEqualTo("15496 995" + System.lineSeparator());
        assertThat(run("Hello world", "tokenizer", "encode", "--tokenizer", SPM.toString()).out().strip())
                .isEqualTo("15043 3186");
        assertThat(run("Hello world", "tokenizer", "encode", "--tokenizer", SPM.toString(), "--add-special").out().strip())
                .isEqualTo("1 15043 3186");
    }

    @Test
    void decodePrintsText() {
        Run r = run("15496 995\n", "tokenizer", "decode", "--tokenizer", GPT2.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("Hello world");
        Run bad = run("15496 x", "tokenizer", "decode", "--tokenizer", GPT2.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("\"x\" is not a token id").doesNotContain("Exception");
        Run missing = run("1", "tokenizer", "decode", "--tokenizer", "/nonexistent/tokenizer.json");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void trainWritesAHuggingFaceDirectoryThatEncodeReads(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("{\"text\": \"Once upon a time there was a little cat number ").append(i).append(".\"}\n");
        }
        Files.writeString(corpus, sb);
        Path out = dir.resolve("tok");
        Run r = run("", "tokenizer", "train", "--vocab-size", "280", "--input", corpus.toString(), "--output", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained 280 tokens");
        assertThat(r.err()).contains("counting").contains("merging").contains("280/280 tokens");
        assertThat(out.resolve("tokenizer.json")).exists();
        assertThat(Files.readString(out.resolve("tokenizer_config.json"))).contains("chat_template");
        Run enc = run("Once upon a time", "tokenizer", "encode", "--tokenizer", out.toString(), "--add-special");
        String[] ids = enc.out().strip().split(" ");
        assertThat(ids[0]).isEqualTo("1"); // <|bos|>
        assertThat(ids.length).isLessThan(1 + "Once upon a time".length()); // merges were learnt
        Run dec = run(enc.out(), "tokenizer", "decode", "--tokenizer", out.toString(), "--skip-special");
        assertThat(dec.out()).isEqualTo("Once upon a time");
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("", "tokenizer", "--help");
        assertThat(r.out()).contains("encode").contains("decode").contains("train");
    }
}
