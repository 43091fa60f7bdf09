package dev.orchard.data;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gopher quality rules (Rae et al. 2021, appendix A), computed as datatrove's GopherQualityFilter does: word count,
 * mean word length, hash and ellipsis symbol ratios, bullet and ellipsis line ratios, share of words with a letter,
 * and a minimum number of common English stop words.
 */
final class GopherQualityStage implements DocStage {
    private final CurationConfig.GopherQuality c;
    private final Set<String> stopWords;

    GopherQualityStage(CurationConfig.GopherQuality c) {
        this.c = c;
        this.stopWords = new HashSet<>(c.stopWords);
    }

    @Override
    public String name() {
        return "gopher_quality";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        String reason = check(doc.text());
        return reason == null ? StageResult.keep(doc) : StageResult.reject(reason);
    }

    /** The first rule the text breaks, or null. */
    String check(String text) {
        List<String> tokens = Words.tokens(text);
        List<String> words = Words.split(text); // tokens that are not pure symbols, punctuation trimmed
        int nWords = words.size();
        if (nWords < c.minWords) {
            return "too_few_words";
        }
        if (nWords > c.maxWords) {
            return "too_many_words";
        }
        long chars = 0;
        for (String w : words) {
            chars += w.length();
        }
        double mean = (double) chars / nWords;
        if (mean < c.minMeanWordLength) {
            return "mean_word_length_low";
        }
        if (mean > c.maxMeanWordLength) {
            return "mean_word_length_high";
        }
        int tokenCount = Math.max(tokens.size(), 1);
        if ((double) count(text, "#") / tokenCount > c.maxSymbolWordRatio) {
            return "hash_ratio";
        }
        if ((double) (count(text, "...") + count(text, "…")) / tokenCount > c.maxSymbolWordRatio) {
            return "ellipsis_ratio";
        }
        String[] lines = text.split("\n", -1);
        int bullets = 0;
        int ellipsisEnd = 0;
        for (String line : lines) {
            String l = line.stripLeading();
            if (l.startsWith("•") || l.startsWith("-")) {
                bullets++;
            }
            String r = line.stripTrailing();
            if (r.endsWith("...") || r.endsWith("…")) {
                ellipsisEnd++;
            }
        }
        if ((double) bullets / lines.length > c.maxBulletLinesRatio) {
            return "bullet_lines";
        }
        if ((double) ellipsisEnd / lines.length > c.maxEllipsisLinesRatio) {
            return "ellipsis_lines";
        }
        int alpha = 0;
        for (String t : tokens) {
            if (Words.hasLetter(t)) {
                alpha++;
            }
        }
        if ((double) alpha / tokenCount < c.minAlphaWordsRatio) {
            return "alpha_words_ratio";
        }
        int stops = 0;
        for (String w : words) {
            if (stopWords.contains(Words.lower(w)) && ++stops >= c.minStopWords) {
                break;
            }
        }
        if (stops < c.minStopWords) {
            return "few_stop_words";
        }
        return null;
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
