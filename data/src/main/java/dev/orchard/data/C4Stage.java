package dev.orchard.data;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * C4's cleaning rules (Raffel et al. 2020, section 2.2), as datatrove's C4QualityFilter applies them: drop lines
 * without terminal punctuation, with fewer than three words, with a word over 1000 characters, mentioning
 * javascript or cookie/privacy/terms boilerplate; remove Wikipedia-style citation markers; reject documents with
 * "lorem ipsum" or a curly bracket, or with fewer than five sentences left. Curly closing quotes count as terminal
 * punctuation (C4 saw mostly straight quotes; books use curly ones).
 */
final class C4Stage implements DocStage {
    private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+[\"'”’)]*(?=\\s|$)");
    private static final List<String> POLICY = List.of("terms of use", "privacy policy", "cookie policy",
            "uses cookies", "use of cookies", "use cookies");

    private final CurationConfig.C4 c;

    C4Stage(CurationConfig.C4 c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "c4";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        String[] lines = doc.text().split("\n", -1);
        StringBuilder kept = new StringBuilder(doc.text().length());
        int sentences = 0;
        int dropped = 0;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> words = Words.tokens(line);
            if (c.maxWordLength > 0 && words.stream().anyMatch(w -> w.length() > c.maxWordLength)) {
                dropped++;
                continue;
            }
            if (c.removeCitations) {
                line = CITATION.matcher(line).replaceAll("");
            }
            if (c.filterNoTerminalPunct && (!endsWithTerminal(line) || line.endsWith("..."))) {
                dropped++;
                continue;
            }
            if (words.size() < c.minWordsPerLine) {
                dropped++;
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (c.filterLoremIpsum && lower.contains("lorem ipsum")) {
                return StageResult.reject("lorem_ipsum");
            }
            if (c.filterJavascript && lower.contains("javascript")) {
                dropped++;
                continue;
            }
            if (c.filterCurlyBracket && line.indexOf('{') >= 0) {
                return StageResult.reject("curly_bracket");
            }
            if (c.filterPolicy && POLICY.stream().anyMatch(lower::contains)) {
                dropped++;
                continue;
            }
            sentences += countSentences(line);
            if (!kept.isEmpty()) {
                kept.append('\n');
            }
            kept.append(line);
        }
        counters.add("c4.lines_dropped", dropped);
        if (sentences < c.minSentences) {
            return StageResult.reject("too_few_sentences");
        }
        String text = kept.toString();
        return StageResult.keep(text.equals(doc.text()) ? doc : doc.withText(text));
    }

    static boolean endsWithTerminal(String line) {
        if (line.isEmpty()) {
            return false;
        }
        char last = line.charAt(line.length() - 1);
        return last == '.' || last == '?' || last == '!' || last == '"' || last == '\'' || last == '”'
                || last == '’';
    }

    static int countSentences(String line) {
        int n = (int) SENTENCE_END.matcher(line).results().count();
        return Math.max(n, 1);
    }
}
