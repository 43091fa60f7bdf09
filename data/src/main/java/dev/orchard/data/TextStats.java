package dev.orchard.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Text measures of every element of a subtree, computed in one iterative pass (no recursion, so deeply nested
 * markup cannot overflow the stack, and no repeated {@code Element.text()} calls, which would be quadratic).
 */
final class TextStats {

    /** Measures of one element's whole subtree. */
    static final class Counts {
        /** Non-whitespace characters of visible text. */
        int chars;
        /** Of those, characters inside links. */
        int linkChars;
        /** Commas (Latin and CJK). */
        int commas;
        /** Paragraph-like descendants ({@code p}, {@code pre}, {@code blockquote}). */
        int paragraphs;
        int images;
        int listItems;
        int inputs;

        double linkDensity() {
            return chars == 0 ? 0 : (double) linkChars / chars;
        }
    }

    private static final Counts EMPTY = new Counts();
    private final Map<Element, Counts> counts = new IdentityHashMap<>();

    private TextStats() {
    }

    static TextStats of(Element root) {
        TextStats stats = new TextStats();
        Deque<Counts> stack = new ArrayDeque<>();
        int[] linkDepth = {0};
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e) {
                    stack.push(new Counts());
                    if (e.nameIs("a")) {
                        linkDepth[0]++;
                    }
                } else if (node instanceof TextNode t && !stack.isEmpty()) {
                    Counts c = stack.peek();
                    String s = t.getWholeText();
                    int n = 0;
                    for (int i = 0; i < s.length(); i++) {
                        char ch = s.charAt(i);
                        if (!Character.isWhitespace(ch) && ch != '\u00a0') {
                            n++;
                            if (ch == ',' || ch == '\uff0c' || ch == '\u3001') {
                                c.commas++;
                            }
                        }
                    }
                    c.chars += n;
                    if (linkDepth[0] > 0) {
                        c.linkChars += n;
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (!(node instanceof Element e)) {
                    return;
                }
                Counts c = stack.pop();
                switch (e.normalName()) {
                    case "a" -> linkDepth[0]--;
                    case "p", "pre", "blockquote" -> c.paragraphs++;
                    case "img" -> c.images++;
                    case "li" -> c.listItems++;
                    case "input" -> c.inputs++;
                    default -> {
                    }
                }
                stats.counts.put(e, c);
                Counts parent = stack.peek();
                if (parent != null) {
                    parent.chars += c.chars;
                    parent.linkChars += c.linkChars;
                    parent.commas += c.commas;
                    parent.paragraphs += c.paragraphs;
                    parent.images += c.images;
                    parent.listItems += c.listItems;
                    parent.inputs += c.inputs;
                }
            }
        }, root);
        return stats;
    }

    /** The element's measures; an element added after the pass counts as empty. */
    Counts get(Element e) {
        return counts.getOrDefault(e, EMPTY);
    }
}
