package dev.orchard.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures over word-shingle hashes and their LSH band keys. Hash function i is {@code a_i * x + b_i}
 * modulo 2^64 with odd {@code a_i}: a permutation of the 64-bit space, applied to shingle hashes that are already
 * well mixed; the signature keeps, per function, the smallest value (compared unsigned).
 */
final class MinHash implements Serializable {
    final int bands;
    final int rows;
    private final long[] a;
    private final long[] b;

    MinHash(int bands, int rows, long seed) {
        this.bands = bands;
        this.rows = rows;
        int k = bands * rows;
        a = new long[k];
        b = new long[k];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {
            a[i] = r.nextLong() | 1L;
            b[i] = r.nextLong();
        }
    }

    long[] signature(long[] shingles) {
        int k = a.length;
        long[] sig = new long[k];
        Arrays.fill(sig, -1L); // the unsigned maximum
        for (long x : shingles) {
            for (int i = 0; i < k; i++) {
                long v = a[i] * x + b[i];
                if (Long.compareUnsigned(v, sig[i]) < 0) {
                    sig[i] = v;
                }
            }
        }
        return sig;
    }

    /** One key per band: a hash of the band index and its rows. Equal keys make a candidate pair. */
    long[] bandKeys(long[] sig) {
        long[] keys = new long[bands];
        for (int band = 0; band < bands; band++) {
            long h = Words.mix64(band + 0x51ED27L);
            for (int r = 0; r < rows; r++) {
                h = Words.mix64(h ^ sig[band * rows + r]);
            }
            keys[band] = h;
        }
        return keys;
    }

    /** The probability that two documents with Jaccard similarity s share at least one band: 1-(1-s^r)^b. */
    double candidateProbability(double s) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    /** Exact Jaccard similarity of two sorted, distinct hash arrays. */
    static double jaccard(long[] x, long[] y) {
        int i = 0;
        int j = 0;
        int inter = 0;
        while (i < x.length && j < y.length) {
            if (x[i] == y[j]) {
                inter++;
                i++;
                j++;
            } else if (x[i] < y[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = x.length + y.length - inter;
        return union == 0 ? 1 : (double) inter / union;
    }

    static long[] distinctSorted(long[] h) {
        return Arrays.stream(h).sorted().distinct().toArray();
    }
}
