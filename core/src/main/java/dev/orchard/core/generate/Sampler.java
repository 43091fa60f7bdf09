package dev.orchard.core.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks next tokens from logits under a {@link SamplingConfig}. One sampler per sequence (it holds the random state). */
public final class Sampler {

    private final SamplingConfig config;
    private final SplittableRandom random;

    public Sampler(SamplingConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
    }

    public SamplingConfig config() {
        return config;
    }

    /**
     * Chooses a token. {@code logits} is modified in place (penalty, temperature); {@code seen} are the token ids
     * already in the context, for the repetition penalty.
     */
    public int sample(float[] logits, int[] seen, int seenCount) {
        if (config.repetitionPenalty() != 1) {
            applyRepetitionPenalty(logits, seen, seenCount, (float) config.repetitionPenalty());
        }
        if (config.isGreedy()) {
            return argmax(logits);
        }
        int n = logits.length;
        float inv = (float) (1 / config.temperature());
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            logits[i] *= inv;
            max = Math.max(max, logits[i]);
        }
        // Candidates sorted by logit, best first (only as many as top-k needs when set).
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        int keep = config.topK() > 0 ? Math.min(config.topK(), n) : n;
        ids = sortedByLogit(ids, logits, keep);
        double[] probs = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            probs[i] = Math.exp(logits[ids[i]] - max);
            sum += probs[i];
        }
        for (int i = 0; i < keep; i++) {
            probs[i] /= sum;
        }
        if (config.topP() < 1) {
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += probs[i];
                if (cumulative >= config.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
        }
        if (config.minP() > 0) {
            double threshold = config.minP() * probs[0];
            int cut = 1;
            while (cut < keep && probs[cut] >= threshold) {
                cut++;
            }
            keep = cut;
        }
        double total = 0;
        for (int i = 0; i < keep; i++) {
            total += probs[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            r -= probs[i];
            if (r < 0) {
                return ids[i];
            }
        }
        return ids[keep - 1];
    }

    /**
     * The distribution {@link #sample} draws from, over the whole vocabulary: the filters applied, survivors
     * renormalized, zeros elsewhere; one-hot at the argmax when greedy. {@code logits} is modified in place.
     * For speculative decoding, which needs the target's and the draft's probabilities of the same token.
     */
    public double[] distribution(float[] logits, int[] seen, int seenCount) {
        if (config.repetitionPenalty() != 1) {
            applyRepetitionPenalty(logits, seen, seenCount, (float) config.repetitionPenalty());
        }
        int n = logits.length;
        double[] p = new double[n];
        if (config.isGreedy()) {
            p[argmax(logits)] = 1;
            return p;
        }
        float inv = (float) (1 / config.temperature());
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            logits[i] *= inv;
            max = Math.max(max, logits[i]);
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        int keep = config.topK() > 0 ? Math.min(config.topK(), n) : n;
        ids = sortedByLogit(ids, logits, keep);
        double[] probs = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            probs[i] = Math.exp(logits[ids[i]] - max);
            sum += probs[i];
        }
        for (int i = 0; i < keep; i++) {
            probs[i] /= sum;
        }
        if (config.topP() < 1) {
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += probs[i];
                if (cumulative >= config.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        if (config.minP() > 0) {
            double threshold = config.minP() * probs[0];
            int cut = 1;
            while (cut < keep && probs[cut] >= threshold) {
                cut++;
            }
            keep = cut;
        }
        double total = 0;
        for (int i = 0; i < keep; i++) {
            total += probs[i];
        }
        for (int i = 0; i < keep; i++) {
            p[ids[i]] = probs[i] / total;
        }
        return p;
    }

    /** Draws a token from a distribution such as {@link #distribution}'s, with this sampler's random state. */
    public int sampleFrom(double[] probabilities) {
        double total = 0;
        for (double v : probabilities) {
            total += v;
        }
        double r = random.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] > 0) {
                r -= probabilities[i];
                last = i;
                if (r < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    static void applyRepetitionPenalty(float[] logits, int[] seen, int seenCount, float penalty) {
        boolean[] done = new boolean[logits.length];
        for (int i = 0; i < seenCount; i++) {
            int t = seen[i];
            if (t >= 0 && t < logits.length && !done[t]) {
                done[t] = true;
                logits[t] = logits[t] > 0 ? logits[t] / penalty : logits[t] * penalty;
            }
        }
    }

    /** The ids with the {@code keep} largest logits, largest first (ties: lower id first). */
    static int[] sortedByLogit(int[] ids, float[] logits, int keep) {
        if (keep < ids.length / 4) {
            // Partial selection: a min-heap of the best `keep`.
            java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(keep,
                    (a, b) -> logits[a] != logits[b] ? Float.compare(logits[a], logits[b]) : Integer.compare(b, a));
            for (int id : ids) {
                heap.add(id);
                if (heap.size() > keep) {
                    heap.poll();
                }
            }
            int[] out = new int[heap.size()];
            for (int i = out.length - 1; i >= 0; i--) {
                out[i] = heap.poll();
            }
            return out;
        }
        Integer[] boxed = Arrays.stream(ids).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        int[] out = new int[keep];
        for (int i = 0; i < keep; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
