package dev.orchard.data;

import java.util.List;

/** Hashes of word n-grams over normalized words, computed with a rolling polynomial so each window costs O(1). */
final class NGrams {
    private static final long P = 0x9E3779B97F4A7C15L; // odd multiplier: the polynomial base

    private NGrams() {
    }

    /**
     * The hash of every window of {@code n} consecutive words (one hash of all words when there are fewer than n
     * but at least {@code minWords}); empty when the text has fewer than {@code minWords} words.
     */
    static long[] hashes(List<String> words, int n, int minWords) {
        int w = words.size();
        if (w < minWords || w == 0) {
            return new long[0];
        }
        long[] wh = new long[w];
        for (int i = 0; i < w; i++) {
            wh[i] = Words.hash64(words.get(i));
        }
        if (w < n) {
            long h = 0;
            for (long x : wh) {
                h = h * P + x;
            }
            return new long[] {Words.mix64(h ^ w)};
        }
        long pow = 1; // P^(n-1)
        for (int k = 0; k < n - 1; k++) {
            pow *= P;
        }
        long[] out = new long[w - n + 1];
        long h = 0;
        for (int i = 0; i < n; i++) {
            h = h * P + wh[i];
        }
        out[0] = Words.mix64(h ^ n);
        for (int i = n; i < w; i++) {
            h = (h - wh[i - n] * pow) * P + wh[i];
            out[i - n + 1] = Words.mix64(h ^ n);
        }
        return out;
    }
}
