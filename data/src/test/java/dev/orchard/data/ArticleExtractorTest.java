package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each heuristic of {@link ArticleExtractor} on a small hand-made page, and malformed HTML. */
class ArticleExtractorTest {

    /** Paragraphs of ordinary prose, as {@code <p>} elements. */
    static String paragraphs(long seed) {
        return "<p>" + TestText.document(seed).replace("\n", "</p>\n<p>") + "</p>";
    }

    static String firstSentence(long seed) {
        String d = TestText.document(seed);
        return d.substring(0, d.indexOf('.') + 1);
    }

    static String page(String head, String body) {
        return "<!doctype html><html><head>" + head + "</head><body>" + body + "</body></html>";
    }

    static String links(String... words) {
        StringBuilder sb = new StringBuilder("<ul>");
        for (String w : words) {
            sb.append("<li><a href=\"/").append(w).append("\">").append(w).append("</a></li>");
        }
        return sb.append("</ul>").toString();
    }

    @Test
    void picksTheArticleOverNavigationAndSidebar() {
        String html = page("<title>The old bridge reopens | Example News</title>",
                "<div id=top>" + links("Home", "World", "Sports", "Weather", "Markets") + "</div>"
                        + "<div class=sidebar><h3>Most read</h3>" + links("Storm", "Election", "Floods") + "</div>"
                        + "<div class=story>" + paragraphs(1) + "</div>"
                        + "<div id=bottom><p>Copyright 2024 Example News. All rights reserved.</p></div>");
        ArticleExtractor.Article a = ArticleExtractor.extract(html);
        assertThat(a.method()).isEqualTo("article");
        assertThat(a.text()).contains(firstSentence(1)).doesNotContain("Markets").doesNotContain("Most read")
                .doesNotContain("Storm").doesNotContain("Copyright");
        assertThat(a.title()).isEqualTo("The old bridge reopens"); // the site name cut from <title>
    }

    @Test
    void removesShareBarsCommentsRelatedListsAndCookieBanners() {
        String html = page("<title>T</title>",
                "<div class=cookie-banner><p>We use cookies to improve your experience, and by continuing to browse "
                        + "you agree to our use of cookies.</p></div>"
                        + "<article><h1>The mill</h1><div class=share-bar><a href=#>Share on Facebook</a> "
                        + "<a href=#>Tweet</a></div>" + paragraphs(2)
                        + "<section class=related-articles><h2>Related</h2><p>Another story about the harbour, "
                        + "the quiet village and the northern road, which you will also like.</p></section>"
                        + "<div id=comments><h2>3 comments</h2><div class=comment><p>Great article, thanks for "
                        + "writing it, I visited the mill, the bridge and the museum last year.</p></div></div>"
                        + "</article>");
        String text = ArticleExtractor.extract(html).text();
        assertThat(text).contains(firstSentence(2)).contains("The mill").doesNotContain("cookies")
                .doesNotContain("Share on").doesNotContain("Tweet").doesNotContain("Another story")
                .doesNotContain("Great article");
    }

    @Test
    void mergesSiblingsThatContinueTheText() {
        // the body split over sibling blocks, as page builders and ad slots leave it
        String html = page("<title>T</title>",
                "<div id=wrap><div class=part>" + paragraphs(3) + "</div><div class=ad-slot><a href=/ad>Buy now</a>"
                        + "</div><div class=part>" + paragraphs(4) + "</div></div>"
                        + "<div class=footer-links>" + links("About", "Contact", "Jobs") + "</div>");
        String text = ArticleExtractor.extract(html).text();
        assertThat(text).contains(firstSentence(3)).contains(firstSentence(4)).doesNotContain("Buy now")
                .doesNotContain("Jobs");
    }

    @Test
    void dropsLinkDenseBlocksInsideTheBody() {
        String html = page("<title>T</title>",
                "<div class=content>" + paragraphs(5) + "<div><a href=/a>More about the village</a> | "
                        + "<a href=/b>More about the harbour</a> | <a href=/c>More about the mill</a></div>"
                        + paragraphs(6) + "</div>");
        String text = ArticleExtractor.extract(html).text();
        assertThat(text).contains(firstSentence(5)).contains(firstSentence(6)).doesNotContain("More about");
    }

    @Test
    void articleAndMainElementsAndArticleBodyMarkupWin() {
        // a longer block of prose outside the marked body still loses to it
        String outside = "<div class=promo-box>" + paragraphs(7) + paragraphs(8) + "</div>";
        String html = page("<title>T</title>",
                outside + "<div itemprop=articleBody>" + paragraphs(9) + "</div>");
        String text = ArticleExtractor.extract(html).text();
        assertThat(text).contains(firstSentence(9)).doesNotContain(firstSentence(7));
        String main = page("<title>T</title>", "<div>" + paragraphs(10) + "</div><main>" + paragraphs(11) + "</main>");
        assertThat(ArticleExtractor.extract(main).text()).contains(firstSentence(11));
    }

    @Test
    void removesBylinesDatesAndFurnitureLines() {
        String html = page("<title>T</title>",
                "<article><p class=meta>By Jane Smith</p><p>Published: March 3, 2024</p><p>Advertisement</p>"
                        + paragraphs(12) + "<p>Read more</p></article>");
        String text = ArticleExtractor.extract(html).text();
        assertThat(text).contains(firstSentence(12)).doesNotContain("Jane Smith").doesNotContain("March 3")
                .doesNotContain("Advertisement").doesNotContain("Read more");
    }

    @Test
    void keepsHeadingsListsAndTablesWithLineBreaks() {
        String html = page("<title>How to repair a bridge</title>",
                "<article>" + paragraphs(13) + "<h2>What you need</h2><ul><li>A heavy hammer</li>"
                        + "<li>Twelve wooden planks</li></ul><table><tr><th>Step</th><th>Time</th></tr>"
                        + "<tr><td>Measure</td><td>2 hours</td></tr><tr><td>Cut</td><td>3 hours</td></tr></table>"
                        + paragraphs(14) + "</article>");
        String text = ArticleExtractor.extract(html).text();
        List<String> lines = text.lines().toList();
        assertThat(lines).contains("What you need", "A heavy hammer", "Twelve wooden planks", "Step | Time",
                "Measure | 2 hours");
        assertThat(text).contains(firstSentence(14));
    }

    @Test
    void readsTitleUrlDateAndLanguageFromThePage() {
        String head = "<title>Ignored | Site</title><link rel=canonical href=\"https://news.example/bridge\">"
                + "<meta property=og:title content=\"From Open Graph\">"
                + "<script type=application/ld+json>{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":"
                + "\"WebSite\",\"name\":\"Site\"},{\"@type\":\"NewsArticle\",\"headline\":\"The bridge reopens\","
                + "\"datePublished\":\"2024-03-03T08:00:00Z\"}]}</script>";
        String html = "<html lang=en-GB><head>" + head + "</head><body><article>" + paragraphs(15)
                + "</article></body></html>";
        ArticleExtractor.Article a = ArticleExtractor.extract(html);
        assertThat(a.title()).isEqualTo("The bridge reopens");
        assertThat(a.url()).isEqualTo("https://news.example/bridge");
        assertThat(a.published()).isEqualTo("2024-03-03T08:00:00Z");
        assertThat(a.language()).isEqualTo("en");
        // without JSON-LD: Open Graph and article meta tags
        String og = "<html><head><meta property=og:title content=\"From Open Graph\"><meta property="
                + "article:published_time content=2023-11-05><meta http-equiv=content-language content=de>"
                + "</head><body><article>" + paragraphs(16) + "</article></body></html>";
        ArticleExtractor.Article b = ArticleExtractor.extract(og);
        assertThat(b.title()).isEqualTo("From Open Graph");
        assertThat(b.published()).isEqualTo("2023-11-05");
        assertThat(b.language()).isEqualTo("de");
        assertThat(b.url()).isNull();
    }

    @Test
    void pagesWithoutAnArticleFallBackToTheDensityClassifier() {
        // a forum-like page of short posts in table cells: no paragraph scores, the block classifier decides
        StringBuilder rows = new StringBuilder("<table>");
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < 12; i++) {
            rows.append("<tr><td><a href=/u").append(i).append(">user").append(i).append("</a></td><td>")
                    .append(TestText.sentence(r)).append(' ').append(TestText.sentence(r)).append("</td></tr>");
        }
        rows.append("</table>");
        ArticleExtractor.Article a = ArticleExtractor.extract(page("<title>Thread</title>",
                links("Home", "Forums", "Members", "Search") + rows));
        assertThat(ArticleExtractor.words(a.text())).isGreaterThan(100);
        assertThat(a.text()).doesNotContain("Members");
    }

    @Test
    void pagesWithNoTextGiveEmptyText() {
        for (String html : List.of("", "<html><body></body></html>", "<script>var a = 1;</script>",
                "<html><body><img src=a.png><nav><a href=/>Home</a></nav></body></html>")) {
            assertThat(ArticleExtractor.extract(html).text()).as(html).isEmpty();
        }
    }

    @Test
    void malformedHtmlNeverCrashes() {
        String unclosed = "<html><body><div class=story><p>" + TestText.document(18).replace("\n", "<p>")
                + "<div><span><b><i>";
        assertThat(ArticleExtractor.extract(unclosed).text()).contains(firstSentence(18));
        String deep = "<div>".repeat(100_000) + paragraphs(19) + "</div>".repeat(100_000);
        assertThat(ArticleExtractor.extract(deep).text()).contains(firstSentence(19));
        byte[] junk = new byte[200_000];
        new SplittableRandom(20).nextBytes(junk);
        String binary = new String(junk, java.nio.charset.StandardCharsets.ISO_8859_1);
        ArticleExtractor.extract(binary); // no exception; whatever text it finds
        ArticleExtractor.extract("<p>" + "<a>".repeat(50_000) + "text");
        ArticleExtractor.extract("<table><tr><td><table><tr><td>".repeat(5_000));
    }

    @Test
    void hugePagesStayLinearInTime() {
        StringBuilder big = new StringBuilder("<html><body><div class=content>");
        for (int i = 0; i < 2_000; i++) {
            big.append(paragraphs(i));
        }
        big.append("</div></body></html>"); // about 4 MB
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThat(ArticleExtractor.words(ArticleExtractor.extract(big.toString()).text()))
                        .isGreaterThan(100_000));
    }
}
