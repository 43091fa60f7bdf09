package dev.orchard.data;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fastText-style quality classifier: a document is the average of its hashed word unigram and bigram features
 * (the hashing trick, {@code buckets} weights), and a logistic regression over them gives the probability that it
 * is "good". Training is plain SGD over shuffled examples with a fixed seed, so the same data give the same model.
 *
 * <p>File format (little-endian): magic {@code ORQC}, int version 1, int buckets, int max n-gram order, float bias,
 * then {@code buckets} float weights.
 */
public final class QualityClassifier implements Serializable {
    private static final int MAGIC = 0x4351524F; // "ORQC" read little-endian

    private final int buckets;
    private final int order;
    private final float[] w;
    private float bias;

    private QualityClassifier(int buckets, int order) {
        this.buckets = buckets;
        this.order = order;
        this.w = new float[buckets];
    }

    /** Training settings. */
    public record Options(int buckets, int order, int epochs, double learningRate, double l2, long seed) {
        public static Options defaults() {
            return new Options(1 << 20, 2, 10, 0.5, 1e-6, 42);
        }
    }

    /** Sparse features of a text: bucket indices, each with weight 1/(number of features). */
    int[] features(String text) {
        List<String> words = Words.normalized(text);
        List<Integer> f = new ArrayList<>(words.size() * order);
        for (int n = 1; n <= order; n++) {
            if (words.size() < n) {
                break;
            }
            for (long h : NGrams.hashes(words, n, n)) {
                f.add((int) Long.remainderUnsigned(h, buckets));
            }
        }
        return f.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Probability that the text is of the "good" class. */
    public double score(String text) {
        return sigmoid(logit(features(text)));
    }

    private double logit(int[] f) {
        if (f.length == 0) {
            return bias;
        }
        double s = 0;
        for (int i : f) {
            s += w[i];
        }
        return bias + s / f.length;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Trains on labelled texts (true = good). */
    public static QualityClassifier train(List<String> good, List<String> bad, Options o) {
        if (good.isEmpty() || bad.isEmpty()) {
            throw new IllegalArgumentException("training needs both positive and negative examples (got "
                    + good.size() + " positive, " + bad.size() + " negative)");
        }
        QualityClassifier m = new QualityClassifier(o.buckets(), o.order());
        List<int[]> xs = new ArrayList<>();
        List<Boolean> ys = new ArrayList<>();
        for (String t : good) {
            xs.add(m.features(t));
            ys.add(true);
        }
        for (String t : bad) {
            xs.add(m.features(t));
            ys.add(false);
        }
        int[] order = new int[xs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(o.seed());
        // balance the classes: each example's gradient is weighted by the inverse of its class frequency
        double wGood = xs.size() / (2.0 * good.size());
        double wBad = xs.size() / (2.0 * bad.size());
        long steps = (long) o.epochs() * xs.size();
        long step = 0;
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int idx : order) {
                double lr = o.learningRate() * (1 - (double) step++ / steps); // linear decay, as fastText does
                int[] f = xs.get(idx);
                double y = ys.get(idx) ? 1 : 0;
                double g = (sigmoid(m.logit(f)) - y) * (ys.get(idx) ? wGood : wBad);
                m.bias -= (float) (lr * g);
                if (f.length > 0) {
                    float scaled = (float) (lr * g / f.length);
                    for (int k : f) {
                        m.w[k] -= scaled + (float) (lr * o.l2() * m.w[k]);
                    }
                }
            }
        }
        return m;
    }

    /** Writes the model to a temporary file beside {@code file}, then renames it into place. */
    public void save(Path file) {
        ByteBuffer buf = ByteBuffer.allocate(20 + 4 * buckets).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(1).putInt(buckets).putInt(order).putFloat(bias);
        for (float x : w) {
            buf.putFloat(x);
        }
        try {
            Path abs = file.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                Files.write(tmp, buf.array());
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write classifier " + file + ": " + e.getMessage(), e);
        }
    }

    public static QualityClassifier load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classifier " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 20 || buf.getInt() != MAGIC) {
            throw new IllegalArgumentException(file + " is not an Orchard quality classifier (bad magic)");
        }
        int version = buf.getInt();
        if (version != 1) {
            throw new IllegalArgumentException(file + ": unsupported classifier version " + version);
        }
        int buckets = buf.getInt();
        int order = buf.getInt();
        if (buckets <= 0 || order <= 0 || bytes.length != 20 + 4L * buckets) {
            throw new IllegalArgumentException(file + ": truncated or corrupt classifier");
        }
        QualityClassifier m = new QualityClassifier(buckets, order);
        m.bias = buf.getFloat();
        for (int i = 0; i < buckets; i++) {
            m.w[i] = buf.getFloat();
        }
        return m;
    }
}
