package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The curation stage over the extractors: what it keeps of the page, and what it rejects. */
class ExtractStageTest {

    static final String PAGE = "<html lang=en><head><title>The old bridge reopens | Example News</title>"
            + "<link rel=canonical href=\"https://news.example/bridge\">"
            + "<meta property=article:published_time content=2024-03-03></head><body>"
            + "<nav><a href=/>Home</a> <a href=/world>World</a></nav><article>"
            + ArticleExtractorTest.paragraphs(1) + "</article><footer>Copyright Example News</footer></body></html>";

    static ExtractStage stage(String method) {
        CurationConfig.Extract cfg = new CurationConfig.Extract();
        cfg.method = method;
        return new ExtractStage(cfg);
    }

    static Doc html(String html, String url, String meta) {
        return Doc.read("a.jsonl:0", "a.jsonl", url, null, Doc.HTML, html, meta);
    }

    @Test
    void articleMethodKeepsTitleUrlDateAndLanguage() {
        Counters counters = new Counters();
        StageResult r = stage("article").apply(html(PAGE, null, null), counters);
        assertThat(r.kept()).isTrue();
        Doc d = r.doc();
        assertThat(d.contentType()).isEqualTo(Doc.PLAIN);
        assertThat(d.text()).contains(ArticleExtractorTest.firstSentence(1)).doesNotContain("World")
                .doesNotContain("Copyright");
        assertThat(d.title()).isEqualTo("The old bridge reopens");
        assertThat(d.url()).isEqualTo("https://news.example/bridge");
        assertThat(d.meta()).isEqualTo("{\"published\":\"2024-03-03\",\"page_language\":\"en\"}");
        assertThat(counters.asMap()).containsEntry("extract.html_documents", 1L)
                .containsEntry("extract.method.article", 1L).containsEntry("extract.published", 1L);
    }

    @Test
    void whatTheInputSaysWins() {
        StageResult r = stage("article").apply(html(PAGE, "https://crawl.example/x", "{\"published\":\"yesterday\"}"),
                new Counters());
        assertThat(r.doc().url()).isEqualTo("https://crawl.example/x");
        assertThat(r.doc().meta()).isEqualTo("{\"published\":\"yesterday\",\"page_language\":\"en\"}");
    }

    @Test
    void pagesWithoutMainTextAreRejectedWithAReason() {
        for (String method : new String[] {"article", "boilerplate", "all_text"}) {
            StageResult r = stage(method).apply(html("<html><body><img src=a.png><script>x()</script>"
                    + "</body></html>", null, null), new Counters());
            assertThat(r.reason()).as(method).isEqualTo("no_main_text");
        }
        for (String method : new String[] {"article", "boilerplate"}) { // navigation alone is no main text
            StageResult r = stage(method).apply(html("<html><body><nav><a href=/>Home</a></nav></body></html>", null,
                    null), new Counters());
            assertThat(r.reason()).as(method).isEqualTo("no_main_text");
        }
    }

    @Test
    void plainTextPassesAndTheOtherMethodsStillWork() {
        Doc plain = Doc.plain("t:0", "t", "just text");
        assertThat(stage("article").apply(plain, new Counters()).doc()).isSameAs(plain);
        Doc viaDensity = stage("boilerplate").apply(html(PAGE, null, null), new Counters()).doc();
        assertThat(viaDensity.text()).contains(ArticleExtractorTest.firstSentence(1));
        assertThat(viaDensity.title()).isEqualTo("The old bridge reopens | Example News");
        assertThat(stage("all_text").apply(html(PAGE, null, null), new Counters()).doc().text()).contains("World");
    }
}
