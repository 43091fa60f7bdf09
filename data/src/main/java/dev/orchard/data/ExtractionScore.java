package dev.orchard.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token-shingle precision, recall and F1 of extracted text against hand-marked main text, as article-extraction
 * benchmarks score article bodies: the text is cut into word tokens ({@code \w+}, Unicode), tokens into shingles of
 * {@code n} consecutive tokens (n = 4 for the benchmark figure, n = 1 for unigram level), and the two multisets are
 * matched. Each page's true/false positives and false negatives are normalised to sum to one so that long pages do
 * not outweigh short ones; precision and recall are the means over pages, F1 their harmonic mean.
 */
public final class ExtractionScore {
    private static final Pattern TOKEN = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    private final int n;
    private double precisionSum;
    private int precisionPages;
    private double recallSum;
    private int recallPages;
    private int pages;

    /** @param n shingle length in tokens: 4 for the benchmark's measure, 1 for unigrams */
    public ExtractionScore(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("shingle length must be at least 1, not " + n);
        }
        this.n = n;
    }

    /** Per-page counts, normalised to sum to one. */
    public record Match(double tp, double fp, double fn) {
        public double precision() {
            if (fp == 0 && fn == 0) {
                return 1;
            }
            return tp + fp == 0 ? 0 : tp / (tp + fp);
        }

        public double recall() {
            if (fp == 0 && fn == 0) {
                return 1;
            }
            return tp + fn == 0 ? 0 : tp / (tp + fn);
        }
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The shingle multiset of a text; a text shorter than n tokens is one (short) shingle, none when empty. */
    static Map<List<String>, Integer> shingles(String text, int n) {
        List<String> t = tokens(text);
        Map<List<String>, Integer> out = new HashMap<>();
        for (int i = 0; i < Math.max(1, t.size() - n + 1); i++) {
            List<String> s = t.subList(i, Math.min(t.size(), i + n));
            if (!s.isEmpty()) {
                out.merge(List.copyOf(s), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Matches one page's extracted text against its gold text. */
    public Match match(String gold, String extracted) {
        Map<List<String>, Integer> g = shingles(gold, n);
        Map<List<String>, Integer> x = shingles(extracted, n);
        double tp = 0;
        double fp = 0;
        double fn = 0;
        for (Map.Entry<List<String>, Integer> e : x.entrySet()) {
            int gc = g.getOrDefault(e.getKey(), 0);
            tp += Math.min(gc, e.getValue());
            fp += Math.max(0, e.getValue() - gc);
        }
        for (Map.Entry<List<String>, Integer> e : g.entrySet()) {
            fn += Math.max(0, e.getValue() - x.getOrDefault(e.getKey(), 0));
        }
        double s = tp + fp + fn;
        return s > 0 ? new Match(tp / s, fp / s, fn / s) : new Match(0, 0, 0);
    }

    /** Scores one page and adds it to the means. */
    public Match add(String gold, String extracted) {
        Match m = match(gold, extracted);
        if (m.tp() + m.fp() > 0) { // as the benchmark: pages with nothing extracted count for recall only
            precisionSum += m.precision();
            precisionPages++;
        }
        if (m.tp() + m.fn() > 0) {
            recallSum += m.recall();
            recallPages++;
        }
        pages++;
        return m;
    }

    public int pages() {
        return pages;
    }

    public double precision() {
        return precisionPages == 0 ? 0 : precisionSum / precisionPages;
    }

    public double recall() {
        return recallPages == 0 ? 0 : recallSum / recallPages;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
