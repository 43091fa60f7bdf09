package dev.orchard.data;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gopher repetition rules (Rae et al. 2021, table A1), as datatrove's GopherRepetitionFilter computes them:
 * duplicated lines and paragraphs (by count and by characters), the character share of the most frequent 2-, 3-
 * and 4-gram, and the character share of duplicated 5- to 10-grams.
 */
final class GopherRepetitionStage implements DocStage {
    private static final Pattern PARAGRAPHS = Pattern.compile("\\n{2,}");
    private static final Pattern LINES = Pattern.compile("\\n+");

    private final CurationConfig.GopherRepetition c;

    GopherRepetitionStage(CurationConfig.GopherRepetition c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "gopher_repetition";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        String reason = check(doc.text());
        return reason == null ? StageResult.keep(doc) : StageResult.reject(reason);
    }

    String check(String text) {
        int len = Math.max(text.length(), 1);
        String[] paragraphs = PARAGRAPHS.split(text.strip());
        long[] pd = duplicates(paragraphs);
        if (c.dupParaFrac > 0 && (double) pd[0] / paragraphs.length > c.dupParaFrac) {
            return "dup_para_frac";
        }
        if (c.dupParaCharFrac > 0 && (double) pd[1] / len > c.dupParaCharFrac) {
            return "dup_para_char_frac";
        }
        String[] lines = LINES.split(text);
        long[] ld = duplicates(lines);
        if (c.dupLineFrac > 0 && (double) ld[0] / lines.length > c.dupLineFrac) {
            return "dup_line_frac";
        }
        if (c.dupLineCharFrac > 0 && (double) ld[1] / len > c.dupLineCharFrac) {
            return "dup_line_char_frac";
        }
        List<String> words = Words.split(text);
        for (double[] t : c.topNGrams) {
            int n = (int) t[0];
            if (words.size() < n) {
                continue;
            }
            if ((double) topNGramChars(words, n) / len > t[1]) {
                return "top_" + n + "_gram";
            }
        }
        for (double[] t : c.dupNGrams) {
            int n = (int) t[0];
            if ((double) duplicatedNGramChars(words, n) / len > t[1]) {
                return "duplicated_" + n + "_grams";
            }
        }
        return null;
    }

    /** {number of repeated elements, characters in them}, first occurrences not counted. */
    static long[] duplicates(String[] xs) {
        Set<String> seen = new HashSet<>();
        long n = 0;
        long chars = 0;
        for (String x : xs) {
            if (!seen.add(x)) {
                n++;
                chars += x.length();
            }
        }
        return new long[] {n, chars};
    }

    /** Characters of the most frequent n-gram (space-joined) times its count; ties go to the first seen. */
    static long topNGramChars(List<String> words, int n) {
        Map<String, Integer> counts = new HashMap<>();
        String best = null;
        int bestCount = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + n <= words.size(); i++) {
            sb.setLength(0);
            for (int k = 0; k < n; k++) {
                if (k > 0) {
                    sb.append(' ');
                }
                sb.append(words.get(i + k));
            }
            String g = sb.toString();
            int cnt = counts.merge(g, 1, Integer::sum);
            if (cnt > bestCount) {
                bestCount = cnt;
                best = g;
            }
        }
        return best == null ? 0 : (long) best.length() * bestCount;
    }

    /** Characters in repeated n-grams, skipping past each repeat so overlapping repeats count once. */
    static long duplicatedNGramChars(List<String> words, int n) {
        Set<String> seen = new HashSet<>();
        long repeated = 0;
        int i = 0;
        StringBuilder sb = new StringBuilder();
        while (i < words.size() - n + 1) {
            sb.setLength(0);
            for (int k = 0; k < n; k++) {
                sb.append(words.get(i + k));
            }
            String g = sb.toString();
            if (seen.contains(g)) {
                repeated += g.length();
                i += n;
            } else {
                seen.add(g);
                i++;
            }
        }
        return repeated;
    }
}
