package dev.orchard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code orchard extract}: pages in, one JSON Lines record each out; bad input gets one line. */
class ExtractCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void extractsEachPage(@TempDir Path tmp) throws Exception {
        Path pages = Files.createDirectories(tmp.resolve("pages"));
        String prose = "<p>The farmer crossed the old bridge near the mill, and the river was high. </p>".repeat(8);
        Files.writeString(pages.resolve("a.html"), "<html lang=en><head><title>The old mill story | Site</title>"
                + "<meta property=article:published_time content=2024-01-02></head><body><nav><a href=/>Home</a>"
                + "</nav><article>" + prose + "</article></body></html>");
        Files.writeString(pages.resolve("b.htm"), "<html><body><nav><a href=/>Home</a></nav></body></html>");
        Files.writeString(pages.resolve("notes.txt"), "not a page");
        Path out = tmp.resolve("out.jsonl");
        Run r = run("extract", "--input", pages.toString(), "--output", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 page(s)").contains("1 with no main text");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(lines.get(0));
        assertThat(a.get("title").asText()).isEqualTo("The old mill story");
        assertThat(a.get("published").asText()).isEqualTo("2024-01-02");
        assertThat(a.get("language").asText()).isEqualTo("en");
        assertThat(a.get("text").asText()).startsWith("The farmer crossed").doesNotContain("Home");
        assertThat(json.readTree(lines.get(1)).get("reason").asText()).isEqualTo("no_main_text");
        assertThat(run("extract", "--help").out()).contains("--input").contains("--output");
    }

    @Test
    void badInputGetsOneClearLine(@TempDir Path tmp) throws Exception {
        Run missing = run("extract", "--input", tmp.resolve("nope.html").toString(), "--output",
                tmp.resolve("o.jsonl").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file").doesNotContain("\tat ");
        Files.writeString(tmp.resolve("x.txt"), "x");
        Run none = run("extract", "--input", tmp.toString(), "--output", tmp.resolve("o.jsonl").toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no .html or .htm files");
        Files.write(tmp.resolve("bad.html.gz"), new byte[] {1, 2, 3});
        Run bad = run("extract", "--input", tmp.resolve("bad.html.gz").toString(), "--output",
                tmp.resolve("o.jsonl").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("not a gzip file").doesNotContain("\tat ");
        assertThat(tmp.resolve("o.jsonl")).doesNotExist();
    }
}
