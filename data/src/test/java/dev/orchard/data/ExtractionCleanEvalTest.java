package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Token-level precision, recall and F1 of the boilerplate classifier against CleanEval's hand-cleaned text, beside a
 * naive baseline that keeps all visible text. Data: ../shared/data/extraction (skipped when absent).
 */
class ExtractionCleanEvalTest {

    static Path cleaneval() {
        Path p = Path.of(System.getProperty("orchard.repo", ".")).resolve("../shared/data/extraction/cleaneval");
        assumeTrue(Files.isDirectory(p), "CleanEval data not found at " + p);
        return p;
    }

    /** Sums of token matches over pages; micro-averaged scores. */
    static final class Score {
        long common;
        long extracted;
        long gold;
        double f1Sum;
        int pages;

        void add(List<String> ext, List<String> gld) {
            Map<String, Integer> counts = new HashMap<>();
            gld.forEach(t -> counts.merge(t, 1, Integer::sum));
            long c = 0;
            for (String t : ext) {
                Integer n = counts.get(t);
                if (n != null && n > 0) {
                    c++;
                    counts.put(t, n - 1);
                }
            }
            common += c;
            extracted += ext.size();
            gold += gld.size();
            double p = ext.isEmpty() ? 0 : (double) c / ext.size();
            double r = gld.isEmpty() ? 0 : (double) c / gld.size();
            f1Sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
            pages++;
        }

        double precision() {
            return (double) common / extracted;
        }

        double recall() {
            return (double) common / gold;
        }

        double f1() {
            return 2 * precision() * recall() / (precision() + recall());
        }

        String line(String name) {
            return String.format("  %-28s P=%.3f R=%.3f F1=%.3f (macro F1 %.3f over %d pages)", name, precision(),
                    recall(), f1(), f1Sum / pages, pages);
        }
    }

    static List<String> goldTokens(String gold) {
        String body = gold.startsWith("URL:") ? gold.substring(gold.indexOf('\n') + 1) : gold;
        body = body.replaceAll("<[phl]>", " ");
        return Words.tokens(body);
    }

    static Score[] score(Path split) throws IOException {
        Score ours = new Score();
        Score baseline = new Score();
        try (Stream<Path> files = Files.list(split.resolve("GoldStandard"))) {
            for (Path g : files.sorted().toList()) {
                String id = g.getFileName().toString().replace(".txt", "");
                Path html = split.resolve("input").resolve(id + ".html.gz");
                if (!Files.exists(html)) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = new GZIPInputStream(Files.newInputStream(html))) {
                    bytes = in.readAllBytes();
                }
                String page = DocReader.decodeHtml(bytes, null);
                List<String> gold = goldTokens(Files.readString(g, java.nio.charset.StandardCharsets.ISO_8859_1));
                if (gold.isEmpty()) {
                    continue;
                }
                ours.add(Words.tokens(HtmlExtractor.extract(page, true).text()), gold);
                baseline.add(Words.tokens(HtmlExtractor.extract(page, false).text()), gold);
            }
        }
        return new Score[] {ours, baseline};
    }

    @Test
    void classifierBeatsAllVisibleTextOnTheDevSet() throws IOException {
        Score[] s = score(cleaneval().resolve("dev"));
        System.out.println("CleanEval dev, token level:");
        System.out.println(s[0].line("boilerplate classifier"));
        System.out.println(s[1].line("all visible text (baseline)"));
        assertThat(s[0].precision()).isGreaterThan(s[1].precision() + 0.05);
        assertThat(s[0].f1()).isGreaterThan(s[1].f1());
        assertThat(s[0].recall()).isGreaterThan(0.8);
    }

    @Test
    @Tag("slow")
    void finalSet() throws IOException {
        Score[] s = score(cleaneval().resolve("final"));
        System.out.println("CleanEval final, token level:");
        System.out.println(s[0].line("boilerplate classifier"));
        System.out.println(s[1].line("all visible text (baseline)"));
        assertThat(s[0].f1()).isGreaterThan(s[1].f1());
    }

    @Test
    void dropsNavigationAndFootersKeepsTitle() {
        String html = "<html><head><title>The page</title><script>var x = 1;</script></head><body>"
                + "<nav><a href=/>Home</a><a href=/x>News</a></nav>"
                + "<div><a href=/1>Sports</a> | <a href=/2>Weather</a> | <a href=/3>Markets</a></div>"
                + "<p>" + TestText.document(1).replace("\n", "</p><p>") + "</p>"
                + "<footer>Copyright 2024 Example Corp. All rights reserved.</footer></body></html>";
        HtmlExtractor.Result r = HtmlExtractor.extract(html);
        assertThat(r.title()).isEqualTo("The page");
        assertThat(r.text()).contains(TestText.document(1).split("\n")[0])
                .doesNotContain("Sports").doesNotContain("Copyright").doesNotContain("var x");
        assertThat(HtmlExtractor.extract(html, false).text()).contains("Sports");
    }
}
