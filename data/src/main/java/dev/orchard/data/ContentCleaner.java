package dev.orchard.data;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeFilter;

/**
 * The removals around candidate scoring: before it, what is never text (scripts, hidden elements) and what names
 * itself boilerplate (share bars, comment sections, related lists, cookie banners, sidebars, page chrome); after it,
 * readability's conditional cleaning of the chosen body (link-dense lists and blocks, image galleries, forms) and
 * short lines that are furniture rather than text (bylines, "Advertisement", "Share this", "Read more").
 */
final class ContentCleaner {
    private ContentCleaner() {
    }

    /** Removes what is never visible text: scripts, styles, forms' controls, comments, hidden elements. */
    static void removeInvisible(Element root) {
        root.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof Comment) {
                    return FilterResult.REMOVE;
                }
                if (node instanceof Element e && (ElementHints.INVISIBLE.contains(e.normalName())
                        || ElementHints.isHidden(e))) {
                    return FilterResult.REMOVE;
                }
                return FilterResult.CONTINUE;
            }
        });
    }

    /**
     * Removes page chrome (nav, aside, footer, ARIA landmarks for navigation) and, when {@code byName}, elements
     * whose class or id names boilerplate. An element holding more than half the page's text is kept whatever its
     * name: wrappers are sometimes called {@code page-with-sidebar}.
     */
    static void removeBoilerplate(Element body, TextStats stats, boolean byName) {
        int total = Math.max(1, stats.get(body).chars);
        body.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (!(node instanceof Element e) || e == body) {
                    return FilterResult.CONTINUE;
                }
                boolean junk = ElementHints.isChrome(e) || e.nameIs("header")
                        || byName && ElementHints.isJunkByName(e);
                if (junk && stats.get(e).chars <= total / 2) {
                    return FilterResult.REMOVE;
                }
                return FilterResult.CONTINUE;
            }
        });
    }

    private static final Set<String> CONDITIONAL = Set.of("div", "section", "ul", "ol", "table", "form", "aside",
            "figure", "header", "dl", "fieldset", "center", "footer", "nav", "span", "p");

    /** Short lines that are furniture whatever page they are on. */
    private static final Pattern FURNITURE = Pattern.compile(
            "^(by|posted by|written by|author:|words by|story by|reporting by|edited by|posted on|published on|"
                    + "published:|updated:|last updated|last modified|share( this| on| article)?|tweet|email|print|"
                    + "advertisement|sponsored|ad|read more|continue reading|read next|related( articles| stories| "
                    + "posts| content)?|more from|see also:|recommended|sign up|subscribe|follow us|follow|"
                    + "click here|photo:|image:|credit:|source:|getty images|\\(c\\)|\u00a9|copyright|"
                    + "all rights reserved|skip to|back to top|comments?|leave a (comment|reply)|\\d+ comments?|"
                    + "tags?:|filed under|categories:|previous( post| article)?|next( post| article)?)\\b.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DATE_ONLY = Pattern.compile(
            "^(published|updated|posted)?\\s*[:\u2013-]?\\s*(\\w+day,?\\s*)?(\\d{1,2}\\s+\\w+\\s+\\d{4}|\\w+\\s+\\d{1,2},?\\s+"
                    + "\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{2,4})([\\s,]+(at\\s+)?\\d{1,2}[:.]\\d{2}\\s*"
                    + "([ap]\\.?m\\.?)?\\s*\\w{0,4})?\\s*$",
            Pattern.CASE_INSENSITIVE);

    /**
     * Readability's conditional cleaning inside the chosen body, top down (so an element's measures are those of
     * what is still there): negative names, link-dense blocks and lists, image galleries without text, blocks with
     * many form inputs, and short furniture lines.
     */
    static void clean(Element content, TextStats stats, String title) {
        int total = Math.max(1, stats.get(content).chars);
        String normTitle = title == null ? null : normalize(title);
        boolean[] titleSeen = {false};
        content.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (!(node instanceof Element e) || e == content) {
                    return FilterResult.CONTINUE;
                }
                String tag = e.normalName();
                TextStats.Counts c = stats.get(e);
                if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '3'
                        && !titleSeen[0] && normTitle != null) {
                    String h = normalize(e.text());
                    if (!h.isEmpty() && (h.equals(normTitle) || normTitle.contains(h) && h.length() > 20)) {
                        titleSeen[0] = true;
                        return FilterResult.REMOVE;
                    }
                }
                if (c.chars <= 120 && isFurniture(e)) {
                    return FilterResult.REMOVE;
                }
                if (!CONDITIONAL.contains(tag) || tag.equals("p") || tag.equals("span")) {
                    return FilterResult.CONTINUE;
                }
                if (c.chars > total / 2 && total > 500) {
                    return FilterResult.CONTINUE; // the body itself, one level down
                }
                return shouldRemove(e, c) ? FilterResult.REMOVE : FilterResult.CONTINUE;
            }
        });
    }

    private static boolean shouldRemove(Element e, TextStats.Counts c) {
        String tag = e.normalName();
        int weight = ElementHints.classWeight(e);
        if (weight < 0 || ElementHints.isJunkByName(e)) {
            return true;
        }
        if (tag.equals("table") && isDataTable(e)) {
            return false;
        }
        if (c.commas >= 10) {
            return false;
        }
        boolean isList = tag.equals("ul") || tag.equals("ol") || tag.equals("dl");
        double ld = c.linkDensity();
        if (isList) {
            return ld > 0.5;
        }
        int headingChars = 0;
        for (Element h : e.select("h1, h2, h3, h4, h5, h6")) {
            headingChars += h.text().length();
        }
        boolean headingy = headingChars > 0 && headingChars * 2 >= c.chars;
        int p = c.paragraphs;
        if (c.images > 1 && (double) p / c.images < 0.5 && c.chars < 200 && !tag.equals("figure")) {
            return true;
        }
        if (c.listItems - 100 > p) {
            return true;
        }
        if (c.inputs > Math.floor(p / 3.0)) {
            return true;
        }
        if (!headingy && c.chars < 25 && c.images > 2) {
            return true;
        }
        if (weight < 25 && ld > 0.2 && c.chars < 2000) {
            return ld > 0.33 || c.chars < 200;
        }
        return weight >= 25 && ld > 0.5;
    }

    /** Tables that hold data rather than layout: header cells, a caption, or a regular grid without nesting. */
    private static boolean isDataTable(Element t) {
        if (t.selectFirst("table table") != null) {
            return false;
        }
        if (t.selectFirst("th, caption, thead") != null) {
            return true;
        }
        int rows = t.select("tr").size();
        return rows >= 3 && t.select("td").size() >= rows * 2;
    }

    private static boolean isFurniture(Element e) {
        String t = e.text().strip();
        if (t.isEmpty()) {
            return false;
        }
        if (t.split("\\s+").length > 12) {
            return false;
        }
        if (e.nameIs("time") || e.nameIs("address")) {
            return true;
        }
        return FURNITURE.matcher(t).matches() && !endsLikeSentenceOfText(t) || DATE_ONLY.matcher(t).matches();
    }

    /** "By the end of the year, prices rose." is text, not a byline: a byline has no verb-ish long tail. */
    private static boolean endsLikeSentenceOfText(String t) {
        return t.split("\\s+").length >= 7 && t.endsWith(".");
    }

    static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }
}
