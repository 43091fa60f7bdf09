package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MinHash-LSH against brute-force exact Jaccard on a synthetic near-duplicate set. */
class FuzzyDedupTest {
    private static final double[] EDIT_RATES = {0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2};

    /** 120 originals, and for 60 of them copies with a share of words replaced at random. */
    static List<String> corpus() {
        SplittableRandom r = new SplittableRandom(7);
        List<String> docs = new ArrayList<>();
        List<String> vocab = Words.normalized(TestText.document(999) + " " + TestText.document(998));
        for (int i = 0; i < 120; i++) {
            docs.add(TestText.document(10_000 + i) + "\n" + TestText.document(20_000 + i));
        }
        for (int i = 0; i < 60; i++) {
            String[] words = docs.get(i).split(" ");
            double rate = EDIT_RATES[i % EDIT_RATES.length];
            for (int k = 0; k < words.length; k++) {
                if (r.nextDouble() < rate) {
                    words[k] = vocab.get(r.nextInt(vocab.size()));
                }
            }
            docs.add(String.join(" ", words));
        }
        return docs;
    }

    @Test
    void candidatePairsAgainstBruteForceJaccard() {
        CurationConfig.FuzzyDedup cfg = new CurationConfig.FuzzyDedup();
        FuzzyDedupStage stage = new FuzzyDedupStage(cfg);
        MinHash mh = new MinHash(cfg.bands, cfg.rows, cfg.seed);
        List<String> docs = corpus();
        List<long[]> sh = docs.stream().map(stage::shingles).toList();
        List<long[]> keys = sh.stream().map(s -> mh.bandKeys(mh.signature(s))).toList();
        int truePairs = 0;
        int found = 0;
        int candidates = 0;
        int candidatesAbove = 0;
        double threshold = 0.8;
        double precisionFloor = 0.6;
        for (int i = 0; i < docs.size(); i++) {
            for (int j = i + 1; j < docs.size(); j++) {
                double jac = MinHash.jaccard(sh.get(i), sh.get(j));
                boolean cand = shareBand(keys.get(i), keys.get(j));
                if (jac >= threshold) {
                    truePairs++;
                    found += cand ? 1 : 0;
                }
                if (cand) {
                    candidates++;
                    candidatesAbove += jac >= precisionFloor ? 1 : 0;
                }
            }
        }
        double recall = (double) found / truePairs;
        double precision = (double) candidatesAbove / candidates;
        System.out.printf("MinHash-LSH %dx%d: recall %.3f of %d pairs with Jaccard >= %.1f; precision %.3f of %d "
                + "candidate pairs have Jaccard >= %.1f (S-curve midpoint %.2f)%n", cfg.bands, cfg.rows, recall,
                truePairs, threshold, precision, candidates, precisionFloor, Math.pow(1.0 / cfg.bands, 1.0 / cfg.rows));
        assertThat(truePairs).isGreaterThan(20);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
        assertThat(precision).isGreaterThanOrEqualTo(0.9);
    }

    private static boolean shareBand(long[] a, long[] b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] == b[k]) {
                return true;
            }
        }
        return false;
    }

    @Test
    void clustersKeepOneDocumentAndVerificationMatchesBruteForce() {
        List<String> docs = corpus();
        CurationConfig.FuzzyDedup cfg = new CurationConfig.FuzzyDedup();
        cfg.verify = true;
        cfg.jaccardThreshold = 0.8;
        FuzzyDedupStage stage = new FuzzyDedupStage(cfg);
        List<Tracked> in = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            in.add(Tracked.read(Doc.plain(String.format("d%04d", i), "t", docs.get(i)), 0, 1));
        }
        List<Tracked> out = stage.applyLocal(in, 1);
        Set<Integer> removed = new HashSet<>();
        for (Tracked t : out) {
            if (!t.live()) {
                removed.add(Integer.parseInt(t.doc.id().substring(1)));
            }
        }
        // brute force: a document should go when an earlier one (smaller id) is within the threshold, transitively
        List<long[]> sh = docs.stream().map(stage::shingles).toList();
        Set<Integer> expected = new HashSet<>();
        int[] parent = new int[docs.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < docs.size(); i++) {
            for (int j = i + 1; j < docs.size(); j++) {
                if (MinHash.jaccard(sh.get(i), sh.get(j)) >= 0.8) {
                    int a = root(parent, i);
                    int b = root(parent, j);
                    parent[Math.max(a, b)] = Math.min(a, b);
                }
            }
        }
        for (int i = 0; i < docs.size(); i++) {
            if (root(parent, i) != i) {
                expected.add(i);
            }
        }
        Set<Integer> hit = new HashSet<>(removed);
        hit.retainAll(expected);
        System.out.printf("fuzzy dedup with verification: removed %d, brute force removes %d, agree on %d%n",
                removed.size(), expected.size(), hit.size());
        assertThat(expected).isNotEmpty();
        assertThat((double) hit.size() / expected.size()).as("recall").isGreaterThanOrEqualTo(0.95);
        assertThat(removed).as("precision: verified pairs are never wrong").isSubsetOf(expected);
        assertThat(removed).allMatch(i -> i >= 120, "only edited copies go");
    }

    private static int root(int[] p, int x) {
        while (p[x] != x) {
            x = p[x];
        }
        return x;
    }

    @Test
    void sCurveMatchesTheory() {
        MinHash mh = new MinHash(14, 8, 1);
        assertThat(mh.candidateProbability(0.9)).isGreaterThan(0.99);
        assertThat(mh.candidateProbability(0.5)).isLessThan(0.06);
    }
}
