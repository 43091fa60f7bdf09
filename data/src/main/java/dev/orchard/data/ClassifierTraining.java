package dev.orchard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;

/** Trains the quality classifier from files of good and bad examples, holding some out to report accuracy. */
public final class ClassifierTraining {
    private ClassifierTraining() {
    }

    /** The trained model and how well it separates the classes. */
    public record Result(QualityClassifier model, int positives, int negatives, double trainAccuracy,
                         double heldOutAccuracy, int heldOut) {
    }

    /**
     * @param positive files or directories of good documents (any input format the pipeline reads)
     * @param negative files or directories of bad documents
     * @param holdout  fraction of each class kept out of training to measure accuracy (0 for none)
     */
    public static Result train(List<String> positive, List<String> negative, QualityClassifier.Options options,
                               double holdout) {
        if (holdout < 0 || holdout >= 1) {
            throw new IllegalArgumentException("holdout must be in [0, 1)");
        }
        List<String> pos = texts(positive);
        List<String> neg = texts(negative);
        SplittableRandom r = new SplittableRandom(options.seed());
        List<String> trainPos = new ArrayList<>();
        List<String> testPos = new ArrayList<>();
        List<String> trainNeg = new ArrayList<>();
        List<String> testNeg = new ArrayList<>();
        for (String t : pos) {
            (r.nextDouble() < holdout ? testPos : trainPos).add(t);
        }
        for (String t : neg) {
            (r.nextDouble() < holdout ? testNeg : trainNeg).add(t);
        }
        QualityClassifier m = QualityClassifier.train(trainPos, trainNeg, options);
        return new Result(m, pos.size(), neg.size(), accuracy(m, trainPos, trainNeg),
                accuracy(m, testPos, testNeg), testPos.size() + testNeg.size());
    }

    /** Share of documents on the right side of 0.5; NaN for no documents. */
    public static double accuracy(QualityClassifier m, List<String> good, List<String> bad) {
        int right = 0;
        for (String t : good) {
            right += m.score(t) >= 0.5 ? 1 : 0;
        }
        for (String t : bad) {
            right += m.score(t) < 0.5 ? 1 : 0;
        }
        int n = good.size() + bad.size();
        return n == 0 ? Double.NaN : (double) right / n;
    }

    static List<String> texts(List<String> inputs) {
        Configuration conf = new Configuration();
        List<String> out = new ArrayList<>();
        for (InputFile f : InputFile.expand(inputs, conf)) {
            DocReader r = DocReader.open(f, conf, 0);
            while (r.hasNext()) {
                Tracked t = r.next();
                if (t.live()) {
                    Doc d = t.doc;
                    out.add(d.isHtml() ? HtmlExtractor.extract(d.text()).text() : d.text());
                }
            }
        }
        return out;
    }
}
