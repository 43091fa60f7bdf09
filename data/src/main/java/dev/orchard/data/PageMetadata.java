package dev.orchard.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What a page says about itself: title, canonical URL, publication date, language, and the schema.org
 * {@code articleBody} when the page embeds one. Sources, strongest first: schema.org JSON-LD (Article, NewsArticle,
 * BlogPosting, ... also inside {@code @graph}), Open Graph and article meta tags, microdata ({@code itemprop}),
 * then plain HTML ({@code <title>}, {@code <html lang>}, {@code <time>}).
 */
record PageMetadata(String title, String url, String published, String language, String articleBody) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ARTICLE_TYPES = Set.of("article", "newsarticle", "blogposting", "report",
            "techarticle", "scholarlyarticle", "liveblogposting", "opinionnewsarticle", "reportagenewsarticle",
            "analysisnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "socialmediaposting",
            "discussionforumposting", "posting", "webpage", "review", "howto", "recipe", "qapage", "question");
    private static final Pattern ISO_DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+(Z|[+-]\\d{2}:?\\d{2})?)?$");
    private static final Pattern TITLE_SEPARATOR = Pattern.compile("\\s+[|\\-\u2013\u2014:\u00b7\u2022/]\\s+");

    static PageMetadata of(Document doc) {
        JsonLd ld = JsonLd.read(doc);
        String title = first(ld.headline, meta(doc, "og:title"), meta(doc, "twitter:title"),
                attr(doc, "[itemprop=headline]", "content"), cleanTitle(doc));
        String url = first(attr(doc, "link[rel=canonical]", "abs:href"), meta(doc, "og:url"), ld.url);
        String published = date(ld.datePublished, meta(doc, "article:published_time"), meta(doc, "og:published_time"),
                meta(doc, "datePublished"), meta(doc, "date"), meta(doc, "pubdate"), meta(doc, "publish-date"),
                meta(doc, "dc.date"), meta(doc, "dc.date.issued"), meta(doc, "dcterms.created"),
                meta(doc, "parsely-pub-date"), meta(doc, "sailthru.date"),
                attr(doc, "[itemprop=datePublished]", "content"), attr(doc, "[itemprop=datePublished]", "datetime"),
                attr(doc, "time[pubdate]", "datetime"), attr(doc, "article time[datetime]", "datetime"));
        String language = language(first(doc.selectFirst("html") == null ? null : doc.selectFirst("html").attr("lang"),
                attr(doc, "meta[http-equiv=content-language]", "content"), ld.inLanguage, meta(doc, "og:locale")));
        return new PageMetadata(title, url == null || url.isBlank() ? null : url, published, language, ld.articleBody);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip().replaceAll("\\s+", " ");
            }
        }
        return null;
    }

    /** The first value that reads as an ISO-8601 date (what schema.org and Open Graph prescribe). */
    private static String date(String... values) {
        for (String v : values) {
            if (v != null && ISO_DATE.matcher(v.strip()).matches()) {
                return v.strip();
            }
        }
        return null;
    }

    /** The primary language subtag, lower case: {@code en-US}, {@code en_GB} and {@code EN} all give {@code en}. */
    static String language(String tag) {
        if (tag == null) {
            return null;
        }
        String t = tag.strip().split("[-_,;\\s]", 2)[0].toLowerCase(Locale.ROOT);
        return t.matches("[a-z]{2,3}") ? t : null;
    }

    private static String meta(Document doc, String key) {
        for (Element m : doc.getElementsByTag("meta")) {
            if (key.equalsIgnoreCase(m.attr("property")) || key.equalsIgnoreCase(m.attr("name"))
                    || key.equalsIgnoreCase(m.attr("itemprop"))) {
                String c = m.attr("content");
                if (!c.isBlank()) {
                    return c;
                }
            }
        }
        return null;
    }

    private static String attr(Document doc, String css, String attr) {
        Element e = doc.selectFirst(css);
        return e == null ? null : e.attr(attr);
    }

    /** The {@code <title>} without a site-name part ("Story headline | Example News" gives the headline). */
    private static String cleanTitle(Document doc) {
        String t = doc.title().strip();
        if (t.isEmpty()) {
            Element h1 = doc.selectFirst("h1");
            return h1 == null ? null : h1.text();
        }
        String[] parts = TITLE_SEPARATOR.split(t);
        if (parts.length < 2) {
            return t;
        }
        String best = parts[0];
        for (String p : parts) {
            if (p.length() > best.length()) {
                best = p;
            }
        }
        // a short headline part is more likely a section name than the headline: keep the whole title
        return best.split("\\s+").length >= 3 ? best : t;
    }

    /** The article object of a page's JSON-LD blocks. Broken JSON is skipped: it is the page's problem, not ours. */
    private static final class JsonLd {
        String headline;
        String url;
        String datePublished;
        String inLanguage;
        String articleBody;

        static JsonLd read(Document doc) {
            JsonLd ld = new JsonLd();
            for (Element s : doc.select("script[type=application/ld+json]")) {
                JsonNode root;
                try {
                    root = JSON.readTree(s.data());
                } catch (Exception e) {
                    continue;
                }
                Deque<JsonNode> todo = new ArrayDeque<>();
                todo.push(root);
                int visited = 0;
                while (!todo.isEmpty() && visited++ < 1000) {
                    JsonNode n = todo.pop();
                    if (n == null) {
                        continue;
                    }
                    if (n.isArray()) {
                        n.forEach(todo::add);
                        continue;
                    }
                    if (!n.isObject()) {
                        continue;
                    }
                    if (n.has("@graph")) {
                        todo.add(n.get("@graph"));
                    }
                    if (isArticle(n.get("@type"))) {
                        ld.take(n);
                    }
                }
            }
            return ld;
        }

        private static boolean isArticle(JsonNode type) {
            if (type == null) {
                return false;
            }
            if (type.isArray()) {
                for (JsonNode t : type) {
                    if (isArticle(t)) {
                        return true;
                    }
                }
                return false;
            }
            return type.isTextual() && ARTICLE_TYPES.contains(type.asText().toLowerCase(Locale.ROOT));
        }

        /** Fills what is still unknown; an article type beats a plain WebPage seen earlier for the body. */
        private void take(JsonNode n) {
            headline = headline != null ? headline : text(n.get("headline"));
            url = url != null ? url : text(n.get("url"));
            datePublished = datePublished != null ? datePublished : text(n.get("datePublished"));
            inLanguage = inLanguage != null ? inLanguage : text(n.get("inLanguage"));
            String body = text(n.get("articleBody"));
            if (body == null) {
                body = text(n.get("text"));
            }
            if (body != null && (articleBody == null || body.length() > articleBody.length())) {
                articleBody = body;
            }
        }

        private static String text(JsonNode v) {
            return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
        }
    }
}
