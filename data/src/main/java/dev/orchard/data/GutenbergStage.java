package dev.orchard.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain-text books: removes the Project Gutenberg licence header and footer (current "*** START OF ..." markers and
 * the older "*END*THE SMALL PRINT!" variants), and joins hard-wrapped lines back into paragraphs, so that line
 * rules written for web text (C4, FineWeb) judge paragraphs rather than 70-column fragments.
 */
final class GutenbergStage implements DocStage {
    private static final Pattern START = Pattern.compile(
            "^[ \\t]*\\*{3}[ \\t]*START OF (?:THE|THIS) PROJECT GUTENBERG[^\\n]*$"
                    + "|^[^\\n]*\\*END\\*[^\\n]*SMALL PRINT[^\\n]*$|^[^\\n]*SMALL PRINT[^\\n]*\\*END\\*[^\\n]*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern END = Pattern.compile(
            "^[ \\t]*\\*{3}[ \\t]*END OF (?:THE|THIS) PROJECT GUTENBERG[^\\n]*$"
                    + "|^[ \\t]*End of (?:the )?Project Gutenberg[^\\n]*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private final boolean strip;
    private final boolean reflow;

    GutenbergStage(CurationConfig.Gutenberg cfg) {
        this.strip = cfg.stripBoilerplate;
        this.reflow = cfg.reflow;
    }

    @Override
    public String name() {
        return "gutenberg";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        String text = doc.text();
        if (strip) {
            String stripped = stripBoilerplate(text);
            if (stripped != text) {
                counters.add("gutenberg.licence_stripped", 1);
                text = stripped;
            }
        }
        if (reflow && isHardWrapped(text)) {
            text = reflow(text);
            counters.add("gutenberg.reflowed", 1);
        }
        if (text.isBlank()) {
            return StageResult.reject("empty_after_strip");
        }
        return StageResult.keep(text == doc.text() ? doc : doc.withText(text));
    }

    /** The text between the licence header and footer; the input itself when it has no Gutenberg markers. */
    static String stripBoilerplate(String text) {
        if (!containsIgnoreCase(text, "gutenberg")) {
            return text;
        }
        int from = 0;
        Matcher s = START.matcher(text);
        int headerLimit = Math.max(text.length() / 2, 1);
        while (s.find() && s.start() < headerLimit) {
            from = s.end();
        }
        int to = text.length();
        Matcher e = END.matcher(text);
        if (e.find(from)) {
            to = e.start();
        }
        if (from == 0 && to == text.length()) {
            return text;
        }
        return text.substring(from, to).strip();
    }

    private static boolean containsIgnoreCase(String text, String word) {
        int n = Math.min(text.length(), 20_000);
        String head = text.substring(0, n);
        return head.toLowerCase(java.util.Locale.ROOT).contains(word);
    }

    /** Most non-empty lines are between 40 and 80 columns and almost none is longer: typewriter-style wrapping. */
    static boolean isHardWrapped(String text) {
        int lines = 0;
        int wrapped = 0;
        int longLines = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int len = end - start;
            if (len > 0 && end > start && !text.substring(start, end).isBlank()) {
                lines++;
                if (len >= 40 && len <= 80) {
                    wrapped++;
                } else if (len > 100) {
                    longLines++;
                }
            }
            start = end + 1;
        }
        return lines >= 10 && wrapped >= 0.5 * lines && longLines <= 0.02 * lines;
    }

    /** Joins the lines of each blank-line-separated paragraph with spaces; paragraphs stay separated by a blank line. */
    static String reflow(String text) {
        StringBuilder out = new StringBuilder(text.length());
        StringBuilder para = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            String t = line.strip();
            if (t.isEmpty()) {
                if (!para.isEmpty()) {
                    if (!out.isEmpty()) {
                        out.append("\n\n");
                    }
                    out.append(para);
                    para.setLength(0);
                }
            } else {
                if (!para.isEmpty()) {
                    para.append(' ');
                }
                para.append(t);
            }
        }
        if (!para.isEmpty()) {
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            out.append(para);
        }
        return out.toString();
    }
}
