package dev.orchard.data;

import java.nio.file.Path;

/** Scores every document with the trained quality classifier and keeps those at or above the threshold. */
final class QualityClassifierStage implements DocStage {
    private final QualityClassifier model;
    private final double threshold;

    QualityClassifierStage(CurationConfig.QualityClassifier cfg) {
        this.model = cfg.model == null ? null : QualityClassifier.load(Path.of(cfg.model));
        this.threshold = cfg.threshold;
    }

    boolean active() {
        return model != null;
    }

    @Override
    public String name() {
        return "quality_classifier";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        if (model == null) {
            return StageResult.keep(doc);
        }
        double p = model.score(doc.text());
        if (p < threshold) {
            return StageResult.reject("below_threshold");
        }
        return StageResult.keep(doc.withQuality(p));
    }
}
