package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of the per-document stages and the config, each against the behaviour its rule describes. */
class StagesTest {
    static final String GOOD = TestText.document(42);

    static String reason(DocStage s, String text) {
        StageResult r = s.apply(Doc.plain("x:0", "x", text), new Counters());
        return r.kept() ? null : r.reason();
    }

    @Test
    void generatedProsePassesEveryQualityRule() {
        CurationConfig c = new CurationConfig();
        for (DocStage s : List.of(new GopherQualityStage(c.gopherQuality), new GopherRepetitionStage(c.gopherRepetition),
                new C4Stage(c.c4), new FineWebStage(c.fineweb), new ProfanityStage(c.profanity))) {
            for (int seed = 0; seed < 20; seed++) {
                assertThat(reason(s, TestText.document(seed))).as(s.name() + " on doc " + seed).isNull();
            }
        }
    }

    @Test
    void gopherQualityRules() {
        GopherQualityStage g = new GopherQualityStage(new CurationConfig.GopherQuality());
        assertThat(g.check("Too short to be a document of the kind we want.")).isEqualTo("too_few_words");
        assertThat(g.check("a b c d e f g ".repeat(20) + "the and")).isEqualTo("mean_word_length_low");
        assertThat(g.check("extraordinarily incomprehensibilities ".repeat(40) + "the and"))
                .isEqualTo("mean_word_length_high");
        assertThat(g.check(GOOD + " #tag".repeat(40))).isEqualTo("hash_ratio");
        assertThat(g.check("- " + String.join("\n- ", GOOD.replace("\n", " ").split("\\. "))))
                .isEqualTo("bullet_lines");
        assertThat(g.check(String.join("...\n", GOOD.split("\\. ")))).isEqualTo("ellipsis_lines");
        assertThat(g.check(GOOD + " wait…".repeat(40))).isEqualTo("ellipsis_ratio");
        assertThat(g.check(GOOD + " 19990 20240 31337".repeat(40))).isEqualTo("alpha_words_ratio");
        String noStop = "Cats chase mice quickly. Dogs bark loudly outside. Birds sing sweetly overhead. ".repeat(8);
        assertThat(g.check(noStop)).isEqualTo("few_stop_words");
        assertThat(g.check(GOOD)).isNull();
    }

    @Test
    void gopherRepetitionRules() {
        GopherRepetitionStage g = new GopherRepetitionStage(new CurationConfig.GopherRepetition());
        assertThat(g.check((GOOD.split("\n")[0] + "\n\n").repeat(4) + GOOD)).isEqualTo("dup_para_frac");
        assertThat(g.check(GOOD + ("\nBuy now and save.").repeat(30))).isEqualTo("dup_line_frac");
        assertThat(g.check(GOOD.replace("\n", " ") + " buy now".repeat(200))).startsWith("top_2_gram");
        // datatrove's accounting: repeated n-grams skip ahead by n, so "a b c d e" x 3 counts two repeats
        assertThat(GopherRepetitionStage.duplicatedNGramChars(Words.split("a b c d e a b c d e a b c d e"), 5))
                .isEqualTo(10);
        assertThat(GopherRepetitionStage.topNGramChars(Words.split("x y x y x y z"), 2)).isEqualTo(3 * 3);
        assertThat(g.check(GOOD)).isNull();
    }

    @Test
    void c4LineRules() {
        C4Stage c4 = new C4Stage(new CurationConfig.C4());
        String text = GOOD + "\nHome | About | Contact\nThis site uses cookies to improve your experience.\n"
                + "Enable JavaScript to view this page properly.\nSee the footnote.[12] It explains everything.";
        StageResult r = c4.apply(Doc.plain("x:0", "x", text), new Counters());
        assertThat(r.kept()).isTrue();
        assertThat(r.doc().text()).startsWith(GOOD).doesNotContain("Home |").doesNotContain("cookies")
                .doesNotContain("JavaScript").contains("See the footnote. It explains everything.");
        assertThat(reason(c4, GOOD + "\nLorem ipsum dolor sit amet, consectetur.")).isEqualTo("lorem_ipsum");
        assertThat(reason(c4, GOOD + "\nfunction f() { return 1; } is code.")).isEqualTo("curly_bracket");
        assertThat(reason(c4, "One sentence only here.")).isEqualTo("too_few_sentences");
    }

    @Test
    void fineWebRules() {
        FineWebStage f = new FineWebStage(new CurationConfig.FineWeb());
        assertThat(f.check(String.join("\n", Collections.nCopies(30, "no punctuation at the end of this line")))
        ).isEqualTo("line_punct_ratio");
        assertThat(f.check(GOOD + "\n" + "Short.\n".repeat(60))).isEqualTo("short_line_ratio");
        assertThat(f.check(GOOD + "\nThe very same line appears again and again here.".repeat(3)))
                .isEqualTo("char_dup_ratio");
        assertThat(f.check(GOOD)).isNull();
    }

    @Test
    void gutenbergHeadersAndFootersAreStripped() throws IOException {
        String book = "The Project Gutenberg EBook of Something, by Someone\n\nThis eBook is for the use of anyone.\n\n"
                + "*** START OF THIS PROJECT GUTENBERG EBOOK SOMETHING ***\n\nCHAPTER I.\n\nIt was a dark night.\n\n"
                + "*** END OF THIS PROJECT GUTENBERG EBOOK SOMETHING ***\n\nSection 1. General Terms of Use.";
        assertThat(GutenbergStage.stripBoilerplate(book)).isEqualTo("CHAPTER I.\n\nIt was a dark night.");
        Path shared = Path.of(System.getProperty("orchard.repo", ".")).resolve("../shared/data/gutenberg");
        assumeTrue(Files.isDirectory(shared), "Gutenberg books not found");
        for (String f : List.of("11_11-0.txt", "1260_1260.txt", "old_header_variants/11_alice30.txt",
                "old_header_variants/5200_metam10.txt")) {
            String text = Files.readString(shared.resolve(f));
            String body = GutenbergStage.stripBoilerplate(text);
            assertThat(body.length()).as(f).isLessThan(text.length()).isGreaterThan(text.length() / 2);
            assertThat(body.toLowerCase()).as(f).doesNotContain("small print").doesNotContain("start of th")
                    .doesNotContain("end of the project gutenberg");
            assertThat(GutenbergStage.isHardWrapped(body)).as(f).isTrue();
            String flowed = GutenbergStage.reflow(body);
            assertThat(flowed.lines().filter(l -> !l.isBlank()).count())
                    .isLessThan(body.lines().filter(l -> !l.isBlank()).count() / 3);
        }
        assertThat(GutenbergStage.isHardWrapped(GOOD)).isFalse();
    }

    @Test
    void profanityMatchesWholeWordsAndPhrases() {
        ProfanityStage p = new ProfanityStage(List.of("ass", "two girls one cup", "🖕"), 0.0, true);
        assertThat(p.countMatches(Words.normalized("The assessment of the class was fair."), "")).isZero();
        assertThat(p.countMatches(Words.normalized("What an ASS, he said."), "")).isEqualTo(1);
        assertThat(p.countMatches(Words.normalized("Two girls, one cup!"), "")).isEqualTo(4);
        assertThat(p.countMatches(List.of(), "so 🖕 there")).isEqualTo(1);
        assertThat(reason(p, GOOD)).isNull();
        assertThat(reason(p, GOOD + " ass")).startsWith("ratio_above");
        ProfanityStage bundled = new ProfanityStage(new CurationConfig.Profanity());
        assertThat(reason(bundled, GOOD)).isNull();
        assertThat(reason(bundled, "fuck this shit ".repeat(30) + GOOD)).startsWith("ratio_above");
        assertThat(ProfanityStage.bundled()).hasSize(403 - 26).contains("2g1c");
    }

    @Test
    void profanityFlagKeepsAndMarksOnlyDocumentsAboveTheRatio() {
        ProfanityStage flag = new ProfanityStage(List.of("ass"), 0.0, false);
        Counters counters = new Counters();
        StageResult offending = flag.apply(Doc.plain("x:0", "x", GOOD + " ass"), counters);
        assertThat(offending.kept()).isTrue();
        assertThat(offending.doc().flags()).containsExactly(ProfanityStage.FLAG);
        assertThat(counters.asMap()).containsEntry("profanity.flagged_documents", 1L);
        StageResult clean = flag.apply(Doc.plain("x:1", "x", GOOD), new Counters());
        assertThat(clean.doc().flags()).isEmpty();
        // matched, but at or under the ratio: counted as matched words, not flagged
        ProfanityStage lenient = new ProfanityStage(List.of("ass"), 0.5, false);
        assertThat(lenient.apply(Doc.plain("x:2", "x", GOOD + " ass"), new Counters()).doc().flags()).isEmpty();
        // a flag is added once however often the document is marked
        assertThat(offending.doc().withFlag(ProfanityStage.FLAG).flags()).containsExactly(ProfanityStage.FLAG);
    }

    @Test
    void languageIdKeepsConfiguredLanguages() {
        CurationConfig.Language cfg = new CurationConfig.Language();
        cfg.candidates = List.of("de", "fr");
        LanguageStage l = new LanguageStage(cfg);
        StageResult en = l.apply(Doc.plain("x:0", "x", GOOD), new Counters());
        assertThat(en.kept()).isTrue();
        assertThat(en.doc().language()).isEqualTo("en");
        assertThat(reason(l, "Der alte Bauer ging am Morgen über die Brücke zum Markt, und die Kinder folgten ihm."))
                .isEqualTo("not_kept_de");
        assertThat(reason(l, "Le vieux paysan traversa le pont le matin pour aller au marché avec ses enfants."))
                .isEqualTo("not_kept_fr");
        CurationConfig.Language one = new CurationConfig.Language();
        one.candidates = List.of();
        assertThatThrownBy(() -> new LanguageStage(one)).hasMessageContaining("at least two languages");
        one.keep = List.of("xx");
        assertThatThrownBy(() -> new LanguageStage(one)).hasMessageContaining("'xx'");
    }

    @Test
    void optOutHonoursRobotsAndBlockList() {
        OptOutStage o = new OptOutStage("OrchardBot", Map.of(
                "example.com", "User-agent: OrchardBot\nDisallow: /private/\n\nUser-agent: *\nDisallow: /",
                "open.org", "User-agent: *\nDisallow: /admin"),
                List.of("# comment", "spam.net", "https://news.example.org/paywall/"));
        assertThat(url(o, "https://example.com/public/page")).isNull();
        assertThat(url(o, "https://www.example.com/private/x")).isEqualTo("robots_txt");
        assertThat(url(o, "http://open.org/admin/panel")).isEqualTo("robots_txt");
        assertThat(url(o, "http://open.org/blog")).isNull();
        assertThat(url(o, "http://cdn.spam.net/a")).isEqualTo("blocklist");
        assertThat(url(o, "http://notspam.net/a")).isNull();
        assertThat(url(o, "https://news.example.org/paywall/story")).isEqualTo("blocklist");
        assertThat(url(o, "https://unknown.site/")).isNull();
        assertThat(o.apply(Doc.plain("x:0", "x", GOOD), new Counters()).kept()).isTrue();
    }

    private static String url(OptOutStage o, String url) {
        Doc d = Doc.read("x:0", "x", url, null, Doc.PLAIN, GOOD, null);
        StageResult r = o.apply(d, new Counters());
        return r.kept() ? null : r.reason();
    }

    @Test
    void decontaminationIgnoresNGramsCommonInTheCorpus() {
        String eval = "Write a short story about a lighthouse keeper who discovers a message in a bottle on the beach "
                + "and decides to answer it.";
        DecontaminationStage d = new DecontaminationStage(13, 2, List.of(eval, "too short to use"));
        List<Tracked> docs = new ArrayList<>();
        docs.add(tracked("a:0", GOOD + " " + eval));                                   // contaminated
        String common = "write a short story about a lighthouse keeper who discovers a message in";
        for (int i = 1; i <= 3; i++) {                                                 // shares a common 13-gram
            docs.add(tracked("a:" + i, TestText.document(i) + " " + common));
        }
        docs.add(tracked("a:9", GOOD));
        List<Tracked> out = d.applyLocal(docs, 1);
        assertThat(out.stream().filter(t -> !t.live()).map(t -> t.doc.id())).containsExactly("a:0");
        assertThat(new DecontaminationStage(new CurationConfig.Decontamination()).evalNGramCount()).isGreaterThan(10_000);
    }

    static Tracked tracked(String id, String text) {
        return Tracked.read(Doc.plain(id, "a", text), text.length(), 1);
    }

    @Test
    void qualityClassifierLearnsWordOrder(@TempDir Path tmp) {
        // positives: prose; negatives: the same words shuffled (identical unigrams, so bigrams must carry it)
        SplittableRandom r = new SplittableRandom(3);
        List<String> good = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String t = TestText.document(5000 + i);
            List<String> w = new ArrayList<>(List.of(t.split("\\s+")));
            Collections.shuffle(w, new java.util.Random(r.nextLong()));
            (i < 200 ? good : bad).add(i < 200 ? t : String.join(" ", w));
        }
        QualityClassifier.Options o = new QualityClassifier.Options(1 << 16, 2, 8, 0.5, 1e-6, 1);
        QualityClassifier m = QualityClassifier.train(good.subList(0, 150), bad.subList(0, 150), o);
        double acc = ClassifierTraining.accuracy(m, good.subList(150, 200), bad.subList(150, 200));
        QualityClassifier unigrams = QualityClassifier.train(good.subList(0, 150), bad.subList(0, 150),
                new QualityClassifier.Options(1 << 16, 1, 8, 0.5, 1e-6, 1));
        double accUni = ClassifierTraining.accuracy(unigrams, good.subList(150, 200), bad.subList(150, 200));
        System.out.printf("quality classifier held-out accuracy: %.3f with bigrams, %.3f unigrams only%n", acc, accUni);
        assertThat(acc).isGreaterThanOrEqualTo(0.95);
        assertThat(accUni).isLessThan(0.75);

        Path f = tmp.resolve("m.bin");
        m.save(f);
        QualityClassifier back = QualityClassifier.load(f);
        assertThat(back.score(GOOD)).isEqualTo(m.score(GOOD));
        QualityClassifier again = QualityClassifier.train(good.subList(0, 150), bad.subList(0, 150), o);
        again.save(tmp.resolve("m2.bin"));
        assertThat(tmp.resolve("m2.bin")).hasSameBinaryContentAs(f);
        assertThatThrownBy(() -> QualityClassifier.load(tmp.resolve("nope"))).hasMessageContaining("cannot read");
    }

    @Test
    void configYamlKeepsDefaultsAndRejectsTypos(@TempDir Path tmp) throws IOException {
        Path y = tmp.resolve("c.yaml");
        Files.writeString(y, "stages: [extract, pii]\ngopher_quality:\n  min_words: 10\noutput:\n  format: parquet\n");
        CurationConfig c = CurationConfig.load(y);
        assertThat(c.stages).containsExactly("extract", "pii");
        assertThat(c.gopherQuality.minWords).isEqualTo(10);
        assertThat(c.gopherQuality.maxWords).isEqualTo(100_000);
        assertThat(c.output.format).isEqualTo("parquet");
        Files.writeString(y, "gopher_quality:\n  min_wrds: 10\n");
        assertThatThrownBy(() -> CurationConfig.load(y)).hasMessageContaining("min_wrds");
        Files.writeString(y, "stages: [extract, dedupe]\n");
        assertThatThrownBy(() -> CurationConfig.load(y)).hasMessageContaining("unknown stage 'dedupe'");
        Path j = tmp.resolve("d.yaml");
        Files.writeString(j, new CurationConfig().toYaml());
        assertThat(CurationConfig.load(j).toYaml()).isEqualTo(new CurationConfig().toYaml());
    }

    @Test
    void aThrowingStageRejectsTheDocumentInsteadOfFailingTheRun() {
        DocStage boom = new DocStage() {
            @Override
            public String name() {
                return "boom";
            }

            @Override
            public StageResult apply(Doc doc, Counters counters) {
                throw new IllegalStateException("bad");
            }
        };
        Pipeline p = new Pipeline(List.of(boom));
        Tracked t = p.runDocStages(tracked("a:0", GOOD), 0, 1);
        assertThat(t.reason).isEqualTo("boom:error_IllegalStateException");
    }
}
