package dev.orchard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchard eval} end to end through picocli: exit codes, files written, user errors without stack traces. */
class EvalCommandTest {

    private static final Path REPO = Path.of(System.getProperty("orchard.repo", ".."));
    private static final Path IFEVAL = REPO.resolve("testdata/ifeval");

    @TempDir
    Path tmp;

    /** Runs the CLI and returns {exit code, captured stderr}. */
    private static Object[] run(String... args) {
        PrintStream err = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.commandLine().execute(args);
            return new Object[] {rc, captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void ifevalWritesTheReferenceFilesAndSummary() throws IOException {
        Path out = tmp.resolve("ifeval");
        Object[] r = run("eval", "ifeval",
                "--prompts", IFEVAL.resolve("input_data_gpt4_20231107_145030.jsonl").toString(),
                "--responses", IFEVAL.resolve("input_response_data_gpt4_20231107_145030.jsonl").toString(),
                "--output", out.toString());
        assertThat(r[0]).as("stderr: %s", r[1]).isEqualTo(0);
        assertThat(out.resolve("eval_results_strict.jsonl")).isNotEmptyFile();
        assertThat(out.resolve("eval_results_loose.jsonl")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/metrics/prompt_level_strict/successes").asInt()).isEqualTo(417);
        assertThat(summary.at("/metrics/instruction_level_loose/successes").asInt()).isEqualTo(714);
    }

    @Test
    void badInputIsAClearErrorWithoutStackTrace() throws IOException {
        Path prompts = tmp.resolve("prompts.jsonl");
        Files.writeString(prompts, "{\"key\": 1, \"prompt\": \"hi\"}\n");
        Object[] r = run("eval", "ifeval", "--prompts", prompts.toString(),
                "--responses", prompts.toString(), "--output", tmp.resolve("o").toString());
        assertThat(r[0]).isNotEqualTo(0);
        assertThat((String) r[1]).contains("instruction_id_list").doesNotContain("\tat ");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void gradeThenMergeRunsIntoOneReport() throws IOException {
        Path input = tmp.resolve("summaries.jsonl");
        Files.writeString(input, """
                {"id":"1","prompt":"Summarize in one sentence.","source":"Bees can count to four, researchers found.","response":"Researchers found bees can count to four."}
                {"id":"2","prompt":"Summarize in one sentence.","source":"The council approved a new park.","response":"The council approved a new park."}
                """);
        Object[] g = run("eval", "grade", "--input", input.toString(), "--output", tmp.resolve("g").toString(),
                "--name", "rules");
        assertThat(g[0]).as("stderr: %s", g[1]).isEqualTo(0);
        Object[] s = run("eval", "safety", "--input", input.toString(), "--output", tmp.resolve("s").toString());
        assertThat(s[0]).as("stderr: %s", s[1]).isEqualTo(0);
        Object[] m = run("eval", "report", tmp.resolve("g").toString(), tmp.resolve("s").toString(),
                "--output", tmp.resolve("all").toString());
        assertThat(m[0]).as("stderr: %s", m[1]).isEqualTo(0);
        assertThat(Files.readString(tmp.resolve("all/report.html"))).contains("rules").contains("violation_rate");
    }
}
