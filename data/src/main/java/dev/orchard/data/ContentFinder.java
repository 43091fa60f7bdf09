package dev.orchard.data;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * Finds the element holding the article body, readability-style: every paragraph scores its parent and, less, its
 * further ancestors (one point, one per comma, one per 100 characters up to three); ancestors start from a tag and
 * class/id bias; a candidate's score is discounted by its link density. The best candidate is widened to a parent
 * that holds several strong candidates, and then siblings that look like more of the same text are merged in.
 */
final class ContentFinder {
    private ContentFinder() {
    }

    /** The chosen body: the elements to render, in document order. */
    record Content(List<Element> elements, Element top, double score) {
    }

    /** Blocks that make an element more than a paragraph. */
    private static final Set<String> BLOCK_CHILDREN = Set.of("p", "div", "section", "article", "table", "ul", "ol",
            "dl", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "form", "header", "footer", "aside",
            "nav", "main", "figure", "li");
    private static final Set<String> TEXT_CONTAINERS = Set.of("div", "section", "article", "main", "li", "dd",
            "blockquote", "center", "font", "span", "td");

    static Content find(Element body, TextStats stats) {
        Map<Element, double[]> scores = new IdentityHashMap<>();
        List<Element> order = new ArrayList<>();
        for (Element e : body.getAllElements()) {
            if (!isParagraph(e, stats)) {
                continue;
            }
            TextStats.Counts c = stats.get(e);
            if (c.chars < 25) {
                continue;
            }
            double score = 1 + c.commas + Math.min(c.chars / 100, 3);
            Element a = e.parent();
            for (int level = 0; a != null && level < 5; level++, a = a.parent()) {
                if (a.nameIs("html")) {
                    break;
                }
                double[] s = scores.get(a);
                if (s == null) {
                    s = new double[] {initialScore(a)};
                    scores.put(a, s);
                    order.add(a);
                }
                double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
                s[0] += score / divider;
            }
        }
        Element top = null;
        double topScore = 0;
        Map<Element, Double> finals = new IdentityHashMap<>();
        for (Element e : order) {
            double f = scores.get(e)[0] * (1 - stats.get(e).linkDensity());
            finals.put(e, f);
            if (top == null || f > topScore) {
                top = e;
                topScore = f;
            }
        }
        if (top == null) {
            return new Content(List.of(), null, 0);
        }
        top = widen(top, topScore, order, finals, body);
        topScore = finals.getOrDefault(top, topScore);
        return new Content(mergeSiblings(top, topScore, finals, stats), top, topScore);
    }

    /** A paragraph: p and pre, or a text container without block children (div soup, forum posts). */
    private static boolean isParagraph(Element e, TextStats stats) {
        String tag = e.normalName();
        if (tag.equals("p") || tag.equals("pre")) {
            return true;
        }
        if (!TEXT_CONTAINERS.contains(tag)) {
            return false;
        }
        for (Element child : e.children()) {
            if (BLOCK_CHILDREN.contains(child.normalName())) {
                return false;
            }
        }
        // needs text of its own, not only inline children that are links
        return hasOwnText(e) && stats.get(e).linkDensity() < 0.5;
    }

    private static boolean hasOwnText(Element e) {
        for (Node n : e.childNodes()) {
            if (n instanceof TextNode t && !t.isBlank()) {
                return true;
            }
        }
        return false;
    }

    private static double initialScore(Element e) {
        double s = switch (e.normalName()) {
            case "div", "article", "main" -> 5;
            case "pre", "td", "blockquote" -> 3;
            case "address", "ol", "ul", "dl", "dd", "dt", "li", "form" -> -3;
            case "h1", "h2", "h3", "h4", "h5", "h6", "th" -> -5;
            default -> 0;
        };
        if (ElementHints.isArticleBodyMarkup(e)) {
            s += 60; // the page says so in schema.org terms: the strongest hint there is
        } else if (e.nameIs("article") || e.nameIs("main") || "main".equalsIgnoreCase(e.attr("role"))) {
            s += 25;
        }
        return s + ElementHints.classWeight(e);
    }

    /**
     * Readability's widening: when three or more other strong candidates (at least 3/4 of the best) share an
     * ancestor with the best one, the body is split across them and the ancestor is the body. Also climbs past
     * wrappers that are an only child.
     */
    private static Element widen(Element top, double topScore, List<Element> order, Map<Element, Double> finals,
                                 Element body) {
        List<Element> strong = new ArrayList<>();
        for (Element e : order) {
            if (e != top && finals.get(e) >= topScore * 0.75) {
                strong.add(e);
            }
        }
        if (strong.size() >= 3) {
            for (Element a = top.parent(); a != null && a != body; a = a.parent()) {
                int inside = 0;
                for (Element s : strong) {
                    if (isAncestor(a, s)) {
                        inside++;
                    }
                }
                if (inside >= 3) {
                    top = a;
                    break;
                }
            }
        }
        while (top.parent() != null && top.parent() != body && top.parent().childrenSize() == 1
                && !top.parent().nameIs("html")) {
            top = top.parent();
        }
        return top;
    }

    private static boolean isAncestor(Element a, Element e) {
        for (Element p = e.parent(); p != null; p = p.parent()) {
            if (p == a) {
                return true;
            }
        }
        return false;
    }

    /** The best candidate plus siblings that score well or read like paragraphs of the same text. */
    private static List<Element> mergeSiblings(Element top, double topScore, Map<Element, Double> finals,
                                               TextStats stats) {
        Element parent = top.parent();
        if (parent == null || parent.nameIs("html") || ElementHints.isArticleBodyMarkup(top)) {
            return List.of(top); // marked up as the whole article body: nothing beside it belongs to it
        }
        double threshold = Math.max(10, topScore * 0.2);
        List<Element> out = new ArrayList<>();
        for (Element s : parent.children()) {
            if (s == top) {
                out.add(s);
                continue;
            }
            if (ElementHints.classWeight(s) < 0 || ElementHints.isJunkByName(s) || ElementHints.isChrome(s)) {
                continue; // a promo box or comment thread next to the body is not more of it
            }
            double bonus = !top.className().isEmpty() && top.className().equals(s.className()) ? topScore * 0.2 : 0;
            Double score = finals.get(s);
            if (score != null && score + bonus >= threshold) {
                out.add(s);
                continue;
            }
            if (s.nameIs("p") || (isParagraph(s, stats) && !s.nameIs("li") && !s.nameIs("td"))) {
                TextStats.Counts c = stats.get(s);
                double ld = c.linkDensity();
                if (c.chars > 80 && ld < 0.25) {
                    out.add(s);
                } else if (c.chars > 0 && c.chars <= 80 && ld == 0 && endsSentence(s.text())) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static boolean endsSentence(String t) {
        String s = t.strip();
        return !s.isEmpty() && ".!?\u3002\"\u201d".indexOf(s.charAt(s.length() - 1)) >= 0;
    }
}
