package dev.orchard.data;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * What an element's tag, class, id and ARIA role say about it. The word lists follow the ones readability-style
 * extractors have converged on (Readability.js, trafilatura, go-domdistiller), written here from their published
 * descriptions: page chrome (navigation, sidebars, footers), reader interaction (share bars, comments, newsletter
 * sign-ups), advertising and consent banners are boilerplate; article, content, entry, post and story mark the body.
 */
final class ElementHints {
    private ElementHints() {
    }

    /** Never visible text. */
    static final Set<String> INVISIBLE = Set.of("script", "style", "noscript", "template", "iframe", "svg", "head",
            "select", "option", "button", "textarea", "object", "embed", "canvas", "map", "input", "link", "meta",
            "math", "audio", "video", "source", "track", "dialog");

    /** HTML5 elements that are page chrome wherever they are. */
    static final Set<String> CHROME = Set.of("nav", "aside", "footer", "menu");

    /** Reader interaction and page furniture: removed before scoring, whatever else the name says. */
    private static final Pattern JUNK = Pattern.compile(
            "share|sharing|social|sociable|addthis|shareaholic|comment|disqus|respond|replies|reply|"
                    + "related|recommend|more-stories|morestories|also-read|read-more|readmore|read-next|"
                    + "trending|popular|most-read|outbrain|taboola|cookie|consent|gdpr|privacy-banner|"
                    + "newsletter|subscribe|subscription|signup|sign-up|paywall|promo|advert|sponsor|"
                    + "banner|breadcrumb|pagination|pager|skip-link|skiplink|byline|author-bio|authorbio|about-author|"
                    + "author-box|tag-list|taglist|post-tags|entry-tags|article-tags|tagcloud|categories|"
                    + "sidebar|side-bar|widget|popup|modal|overlay|masthead|navbar|nav-bar|navigation|menu|"
                    + "toolbar|footer|site-header|page-header|header-nav|print-only|jump-to|toc|table-of-contents|"
                    + "rating|vote|prev-next|post-nav|nextprev|login|signin|feedback|"
                    + "(^|[-_ ])(ad|ads|adv|nav|tags|meta|hidden|hide|lightbox|dateline|author|share)([-_ ]|$)",
            Pattern.CASE_INSENSITIVE);

    /** Names that mark the article body; an element with one of these is not removed for a JUNK word. */
    private static final Pattern BODY = Pattern.compile(
            "article|content|entry|post-body|postbody|post-text|story|main|body|text|prose|markdown|blog-post|"
                    + "hentry|page-content|documentation|docs|message|thread",
            Pattern.CASE_INSENSITIVE);

    /** Names that are junk even where they also say content ({@code comment-content}, {@code related-articles}). */
    private static final Pattern ALWAYS_JUNK = Pattern.compile(
            "comment|disqus|respond|related|recommend|share|sharing|social|cookie|consent|gdpr|newsletter|"
                    + "subscribe|signup|sign-up|advert|sponsor|outbrain|taboola|promo|breadcrumb|byline|"
                    + "author-bio|about-author|sidebar|popup|modal",
            Pattern.CASE_INSENSITIVE);

    /** Readability's weighting: names that suggest the body score up, chrome scores down. */
    private static final Pattern POSITIVE = Pattern.compile(
            "article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|prose",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NEGATIVE = Pattern.compile(
            "-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|"
                    + "masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
                    + "sponsor|shopping|tags|tool|widget|cookie|consent|newsletter|social|byline|author",
            Pattern.CASE_INSENSITIVE);

    private static final Set<String> CHROME_ROLES = Set.of("navigation", "complementary", "banner", "contentinfo",
            "dialog", "alertdialog", "menu", "menubar", "search", "toolbar");

    static String names(Element e) {
        String cls = e.className();
        String id = e.id();
        if (cls.isEmpty()) {
            return id;
        }
        return id.isEmpty() ? cls : cls + " " + id;
    }

    /** Chrome by tag or role: nav, aside, footer; role=navigation and the like. */
    static boolean isChrome(Element e) {
        if (CHROME.contains(e.normalName())) {
            return true;
        }
        String role = e.attr("role").toLowerCase(Locale.ROOT);
        return !role.isEmpty() && CHROME_ROLES.contains(role);
    }

    /** Hidden by the page itself: {@code hidden}, {@code aria-hidden}, inline display:none or visibility:hidden. */
    static boolean isHidden(Element e) {
        if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))) {
            return true;
        }
        String style = e.attr("style");
        if (style.isEmpty()) {
            return false;
        }
        String s = style.toLowerCase(Locale.ROOT).replace(" ", "");
        return s.contains("display:none") || s.contains("visibility:hidden");
    }

    /** Names say boilerplate (share bar, comments, related list, cookie banner, sidebar, ...). */
    static boolean isJunkByName(Element e) {
        String n = names(e);
        if (n.isEmpty() || e.nameIs("body") || e.nameIs("html") || e.nameIs("article") || e.nameIs("main")) {
            return false;
        }
        if (ALWAYS_JUNK.matcher(n).find()) {
            return true;
        }
        return JUNK.matcher(n).find() && !BODY.matcher(n).find();
    }

    /** Marked up as the article body: {@code itemprop=articleBody}, or schema.org article types. */
    static boolean isArticleBodyMarkup(Element e) {
        String prop = e.attr("itemprop");
        if (prop.equalsIgnoreCase("articleBody") || prop.equalsIgnoreCase("text")) {
            return true;
        }
        return false;
    }

    /** Readability's class weight: +25 for a body-like class or id, -25 for a chrome-like one, each. */
    static int classWeight(Element e) {
        int w = 0;
        String cls = e.className();
        if (!cls.isEmpty()) {
            if (NEGATIVE.matcher(cls).find()) {
                w -= 25;
            }
            if (POSITIVE.matcher(cls).find()) {
                w += 25;
            }
        }
        String id = e.id();
        if (!id.isEmpty()) {
            if (NEGATIVE.matcher(id).find()) {
                w -= 25;
            }
            if (POSITIVE.matcher(id).find()) {
                w += 25;
            }
        }
        return w;
    }
}
