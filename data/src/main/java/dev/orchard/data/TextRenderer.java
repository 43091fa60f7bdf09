package dev.orchard.data;

import java.util.List;
import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Renders elements as plain text with the line breaks a reader sees: one line per paragraph, heading, list item
 * and table row (cells joined by {@code " | "}), {@code <br>} as a line break, {@code <pre>} kept verbatim; runs of
 * spaces collapsed everywhere else. Iterative, so nesting depth is no risk.
 */
final class TextRenderer {
    private TextRenderer() {
    }

    static final Set<String> BLOCK = Set.of("p", "div", "section", "article", "main", "header", "footer", "aside",
            "nav", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
            "caption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure", "figcaption", "address", "center",
            "form", "fieldset", "legend", "details", "summary", "body", "html", "dir", "menu", "hgroup", "frameset",
            "frame", "noframes", "option", "output");

    static String render(List<Element> roots) {
        Builder b = new Builder();
        for (Element root : roots) {
            b.newline();
            NodeTraversor.traverse(b, root);
            b.newline();
        }
        return b.text();
    }

    private static final class Builder implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        private int preDepth;
        /** A space is due before the next word (the text had whitespace here). */
        private boolean pendingSpace;
        /** A cell separator is due before the next text of this row. */
        private boolean pendingCell;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
                text(t.getWholeText());
            } else if (node instanceof Element e) {
                String tag = e.normalName();
                if (tag.equals("br")) {
                    if (preDepth == 0) {
                        newline();
                    } else {
                        out.append('\n');
                    }
                } else if (tag.equals("td") || tag.equals("th")) {
                    if (!atLineStart()) {
                        pendingCell = true;
                    }
                } else if (BLOCK.contains(tag)) {
                    newline();
                    if (tag.equals("pre")) {
                        preDepth++;
                    }
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (BLOCK.contains(tag)) {
                    if (tag.equals("pre")) {
                        preDepth--;
                    }
                    newline();
                } else if (tag.equals("td") || tag.equals("th")) {
                    pendingSpace = true;
                }
            }
        }

        private boolean atLineStart() {
            return out.isEmpty() || out.charAt(out.length() - 1) == '\n';
        }

        void newline() {
            // trailing spaces never end a line
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == ' ') {
                end--;
            }
            out.setLength(end);
            if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            pendingSpace = false;
            pendingCell = false;
        }

        private void text(String s) {
            if (preDepth > 0) {
                if (pendingCell) {
                    out.append(" | ");
                    pendingCell = false;
                }
                out.append(s.replace('\u00a0', ' '));
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || c == '\u00a0' || c == '\u200b') {
                    pendingSpace = true;
                    continue;
                }
                if (pendingCell) {
                    out.append(" | ");
                    pendingCell = false;
                    pendingSpace = false;
                } else if (pendingSpace && !atLineStart()) {
                    out.append(' ');
                }
                pendingSpace = false;
                out.append(c);
            }
        }

        String text() {
            newline();
            // at most one blank line in a row: pre blocks may carry their own
            return out.toString().replaceAll("\n{3,}", "\n\n").strip();
        }
    }
}
