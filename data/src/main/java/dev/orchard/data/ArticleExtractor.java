package dev.orchard.data;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * Article-body extraction: the main text of a page (news story, blog post, documentation page, forum thread) with
 * its title, URL, publication date and language when the page states them.
 *
 * <p>Steps: parse with jsoup (depth-limited, so any input parses); read the page's own metadata (schema.org
 * JSON-LD, Open Graph, meta tags); remove what is never text and what names itself boilerplate (share bars,
 * comments, related lists, cookie banners, sidebars, navigation); score candidates readability-style
 * ({@link ContentFinder}); clean the chosen body ({@link ContentCleaner}); render it with line breaks per paragraph,
 * heading, list item and table row ({@link TextRenderer}). When the result is too short to be an article, the
 * class/id removals are retried off, and then the text-density block classifier ({@link HtmlExtractor}) decides:
 * pages that are not articles (link lists, product tables, old table layouts) are its strength.
 */
public final class ArticleExtractor {

    /** Below this many words a result is not taken as the page's article. */
    static final int MIN_ARTICLE_WORDS = 60;

    /**
     * @param title     the article's title (schema.org headline, og:title, or the cleaned {@code <title>}), or null
     * @param text      the main text, one line per paragraph, heading, list item or table row; empty when none
     * @param url       the canonical URL the page gives (link rel=canonical, og:url), or null
     * @param published the publication date as the page states it (ISO-8601), or null
     * @param language  the page's declared language (primary subtag, lower case), or null
     * @param method    which step produced the text: {@code article}, {@code article_lenient} or {@code density}
     */
    public record Article(String title, String text, String url, String published, String language,
                          String method) {
    }

    private ArticleExtractor() {
    }

    public static Article extract(String html) {
        Document doc = parse(html);
        PageMetadata meta = PageMetadata.of(doc);
        Element body = doc.body();
        if (body == null) {
            return new Article(meta.title(), "", meta.url(), meta.published(), meta.language(), "article");
        }
        ContentCleaner.removeInvisible(body);
        String strict = article(body.clone(), meta, true);
        String text = strict;
        String method = "article";
        if (words(strict) < MIN_ARTICLE_WORDS) {
            String lenient = article(body, meta, false);
            String density = HtmlExtractor.extract(html, true).text();
            int best = Math.max(words(strict), words(lenient));
            if (words(density) > best * 1.5 || best == 0) {
                text = density;
                method = "density";
            } else if (words(lenient) > words(strict) * 1.5) {
                text = lenient;
                method = "article_lenient";
            }
        }
        return new Article(meta.title(), text, meta.url(), meta.published(), meta.language(), method);
    }

    static Document parse(String html) {
        Parser parser = Parser.htmlParser();
        parser.setMaxDepth(256);
        return Jsoup.parse(html, "", parser);
    }

    private static String article(Element body, PageMetadata meta, boolean byName) {
        ContentCleaner.removeBoilerplate(body, TextStats.of(body), byName);
        TextStats stats = TextStats.of(body);
        ContentFinder.Content content = ContentFinder.find(body, stats);
        if (content.elements().isEmpty()) {
            return "";
        }
        for (Element e : content.elements()) {
            ContentCleaner.clean(e, stats, meta.title());
        }
        return TextRenderer.render(content.elements());
    }

    static int words(String text) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            boolean ws = Character.isWhitespace(text.charAt(i));
            if (!ws && !in) {
                n++;
            }
            in = !ws;
        }
        return n;
    }
}
