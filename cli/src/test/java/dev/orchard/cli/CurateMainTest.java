package dev.orchard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The spark-submit main class: the options of orchard curate, and clear one-line errors. */
class CurateMainTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = CurateMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void takesTheOptionsOfOrchardCurate(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in.jsonl");
        Files.write(in, List.of("{\"text\": \"" + "The farmer crossed the old bridge near the mill. ".repeat(12)
                + "\", \"meta\": {\"k\": 1}}"));
        Path config = tmp.resolve("c.yaml");
        Files.writeString(config, "stages: [exact_dedup]\n");
        Path out = tmp.resolve("out");
        // the local engine: the same command line without starting Spark
        Run r = run("--input", in.toString(), "--output", out.toString(), "--config", config.toString(),
                "--engine", "local", "--quiet");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("data/part-00000.jsonl"))).contains("\"meta\":{\"k\": 1}");
        assertThat(out.resolve("report.json")).exists();
        assertThat(run("defaults").exit()).isZero();
        assertThat(run("--help").out()).contains("--input").contains("--master").contains("train-classifier");
    }

    @Test
    void badInputGetsOneClearLine(@TempDir Path tmp) {
        Run missing = run("--input", tmp.resolve("nope.jsonl").toString(), "--output", tmp.resolve("o").toString(),
                "--engine", "local");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("orchard curate: input not found").doesNotContain("Exception")
                .doesNotContain("\tat ");
        Run noOutput = run("--input", "x.jsonl");
        assertThat(noOutput.exit()).isEqualTo(2);
        assertThat(noOutput.err()).contains("needs --input PATH... and --output DIR");
    }
}
