package dev.orchard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * Main-text extraction from HTML. The page is parsed with jsoup and cut into text blocks at block-level elements;
 * each block gets its word count and link density (share of its words inside links), and a block is content or
 * boilerplate by Kohlschütter et al.'s shallow-text-feature rules (Boilerpipe's NumWordsRulesClassifier), which
 * look at the block and its neighbours: navigation and footers are short, link-dense runs; main text is long blocks
 * with few links. Scripts, styles, forms and the HTML5 nav/header/footer/aside elements never contribute.
 */
public final class HtmlExtractor {

    /** The extracted title and main text. */
    public record Result(String title, String text) {
    }

    /** Never visible as text. */
    private static final Set<String> INVISIBLE = Set.of("script", "style", "noscript", "template", "iframe", "svg",
            "head", "select", "option", "button", "textarea", "object", "embed", "canvas", "map");
    /** Boilerplate by definition (HTML5 sectioning for navigation and page chrome, and forms). */
    private static final Set<String> CHROME = Set.of("nav", "header", "footer", "aside", "form");
    private static final Set<String> BLOCK = Set.of("p", "div", "td", "th", "tr", "table", "li", "ul", "ol", "dl",
            "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article", "main",
            "body", "br", "hr", "center", "address", "figure", "figcaption", "caption", "tbody", "thead", "tfoot",
            "fieldset", "legend", "details", "summary", "dir", "menu");

    /** One block of text with the features the classifier needs. */
    record Block(String text, int words, int linkedWords) {
        double linkDensity() {
            return words == 0 ? 0 : (double) linkedWords / words;
        }
    }

    private HtmlExtractor() {
    }

    /** Extracts with the boilerplate classifier. */
    public static Result extract(String html) {
        return extract(html, true);
    }

    /**
     * @param classify true for the boilerplate classifier; false for every visible text block (the naive
     *                 baseline the classifier is measured against)
     */
    public static Result extract(String html, boolean classify) {
        Document doc = Jsoup.parse(html);
        String title = doc.title().isBlank() ? null : doc.title().strip();
        List<Block> blocks = blocks(doc, classify);
        int n = blocks.size();
        boolean[] content = new boolean[n];
        for (int i = 0; i < n; i++) {
            content[i] = !classify || isContent(i > 0 ? blocks.get(i - 1) : null, blocks.get(i),
                    i + 1 < n ? blocks.get(i + 1) : null);
        }
        if (classify) {
            fillGaps(blocks, content);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (content[i]) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(blocks.get(i).text);
            }
        }
        return new Result(title, out.toString());
    }

    /**
     * Short link-free blocks between content (headings, list items, captions inside an article) are content too:
     * the word-count rules alone drop them, which costs recall. A gap of up to {@code GAP} such blocks is filled.
     */
    static void fillGaps(List<Block> blocks, boolean[] content) {
        final int gap = 3;
        int lastContent = -1;
        for (int i = 0; i < content.length; i++) {
            if (!content[i]) {
                continue;
            }
            if (lastContent >= 0 && i - lastContent - 1 <= gap) {
                boolean linkFree = true;
                for (int k = lastContent + 1; k < i; k++) {
                    linkFree &= blocks.get(k).linkDensity() <= 0.333333;
                }
                if (linkFree) {
                    for (int k = lastContent + 1; k < i; k++) {
                        content[k] = true;
                    }
                }
            }
            lastContent = i;
        }
    }

    /**
     * Boilerpipe's NumWordsRulesClassifier (Kohlschütter, Fankhauser and Nejdl, WSDM 2010, the decision tree of
     * their figure), with missing neighbours counted as empty blocks.
     */
    static boolean isContent(Block prev, Block curr, Block next) {
        double prevLink = prev == null ? 0 : prev.linkDensity();
        int prevWords = prev == null ? 0 : prev.words;
        int nextWords = next == null ? 0 : next.words;
        if (curr.linkDensity() <= 0.333333) {
            if (prevLink <= 0.555556) {
                if (curr.words <= 16) {
                    if (nextWords <= 15) {
                        return prevWords > 4;
                    }
                    return true;
                }
                return true;
            }
            if (curr.words <= 40) {
                return nextWords > 17;
            }
            return true;
        }
        return false;
    }

    static List<Block> blocks(Document doc, boolean dropChrome) {
        List<Block> blocks = new ArrayList<>();
        Element body = doc.body();
        if (body == null) {
            return blocks;
        }
        StringBuilder text = new StringBuilder();
        int[] counts = new int[2]; // words, linked words
        int[] linkDepth = new int[1];
        Runnable flush = () -> {
            String t = text.toString().strip();
            if (!t.isEmpty()) {
                blocks.add(new Block(t, counts[0], counts[1]));
            }
            text.setLength(0);
            counts[0] = 0;
            counts[1] = 0;
        };
        body.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (INVISIBLE.contains(tag) || (dropChrome && CHROME.contains(tag))) {
                        return FilterResult.SKIP_ENTIRELY;
                    }
                    if (BLOCK.contains(tag)) {
                        flush.run();
                    }
                    if (tag.equals("a")) {
                        linkDepth[0]++;
                    }
                } else if (node instanceof TextNode tn) {
                    String t = tn.text();
                    if (!t.isBlank()) {
                        if (!text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1))
                                && Character.isWhitespace(t.charAt(0))) {
                            text.append(' ');
                        }
                        int w = countWords(t);
                        counts[0] += w;
                        if (linkDepth[0] > 0) {
                            counts[1] += w;
                        }
                        appendCollapsed(text, t);
                    }
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (tag.equals("a")) {
                        linkDepth[0]--;
                    }
                    if (BLOCK.contains(tag)) {
                        flush.run();
                    }
                }
                return FilterResult.CONTINUE;
            }
        });
        flush.run();
        return blocks;
    }

    private static void appendCollapsed(StringBuilder sb, String t) {
        boolean space = !sb.isEmpty() && sb.charAt(sb.length() - 1) == ' ';
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                if (!space && !sb.isEmpty()) {
                    sb.append(' ');
                    space = true;
                }
            } else {
                sb.append(c);
                space = false;
            }
        }
    }

    private static int countWords(String t) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < t.length(); i++) {
            boolean ws = Character.isWhitespace(t.charAt(i)) || t.charAt(i) == '\u00a0';
            if (!ws && !in) {
                n++;
            }
            in = !ws;
        }
        return n;
    }
}
