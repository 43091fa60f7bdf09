package dev.orchard.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured stages in order, and how to run a stretch of per-document stages over one document. Stage 0 is
 * reading; configured stage i is stage i + 1 in the accounting.
 */
final class Pipeline implements Serializable {
    static final List<String> STAGE_NAMES = List.of("extract", "gutenberg", "opt_out", "language",
            "gopher_repetition", "gopher_quality", "c4", "fineweb", "profanity", "pii", "exact_dedup",
            "fuzzy_dedup", "quality_classifier", "decontamination");

    final List<Stage> stages;
    /** Stage name to a note for the report (e.g. why a stage let everything through). */
    final Map<String, String> notes = new LinkedHashMap<>();

    Pipeline(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    /** Builds the stages from the config. Files the stages need (lists, models, eval sets) are read here, once. */
    static Pipeline from(CurationConfig c) {
        c.validate();
        List<Stage> out = new ArrayList<>();
        Map<String, String> notes = new LinkedHashMap<>();
        for (String name : c.stages) {
            Stage s = switch (name) {
                case "extract" -> new ExtractStage(c.extract);
                case "gutenberg" -> new GutenbergStage(c.gutenberg);
                case "opt_out" -> {
                    if (c.optOut.robots == null && c.optOut.blocklist == null) {
                        notes.put(name, "no robots.txt collection or block list configured: every document passes");
                    }
                    yield new OptOutStage(c.optOut);
                }
                case "language" -> new LanguageStage(c.language);
                case "gopher_repetition" -> new GopherRepetitionStage(c.gopherRepetition);
                case "gopher_quality" -> new GopherQualityStage(c.gopherQuality);
                case "c4" -> new C4Stage(c.c4);
                case "fineweb" -> new FineWebStage(c.fineweb);
                case "profanity" -> new ProfanityStage(c.profanity);
                case "pii" -> new PiiStage(c.pii);
                case "exact_dedup" -> new ExactDedupStage();
                case "fuzzy_dedup" -> new FuzzyDedupStage(c.fuzzyDedup);
                case "quality_classifier" -> {
                    QualityClassifierStage q = new QualityClassifierStage(c.qualityClassifier);
                    if (!q.active()) {
                        notes.put(name, "no model configured (quality_classifier.model): every document passes");
                    }
                    yield q;
                }
                case "decontamination" -> {
                    DecontaminationStage d = new DecontaminationStage(c.decontamination);
                    notes.put(name, d.evalNGramCount() + " distinct " + c.decontamination.n
                            + "-grams from the evaluation sets");
                    yield d;
                }
                default -> throw new IllegalArgumentException("unknown stage " + name);
            };
            out.add(s);
        }
        Pipeline p = new Pipeline(out);
        p.notes.putAll(notes);
        return p;
    }

    int stageCount() {
        return stages.size();
    }

    /** The accounting name of stage k (0 is reading). */
    String stageName(int k) {
        return k == 0 ? "read" : stages.get(k - 1).name();
    }

    /** Consecutive per-document stages, or one corpus stage: [from, to) over the configured list. */
    record Segment(int from, int to, boolean corpus) implements Serializable {
    }

    List<Segment> segments() {
        List<Segment> out = new ArrayList<>();
        int i = 0;
        while (i < stages.size()) {
            if (stages.get(i) instanceof CorpusStage) {
                out.add(new Segment(i, i + 1, true));
                i++;
            } else {
                int j = i;
                while (j < stages.size() && stages.get(j) instanceof DocStage) {
                    j++;
                }
                out.add(new Segment(i, j, false));
                i = j;
            }
        }
        return out;
    }

    /**
     * Runs per-document stages [from, to) over one document. A stage that throws rejects the document with an
     * {@code error} reason instead of failing the job: one odd document must not stop a corpus.
     */
    Tracked runDocStages(Tracked t, int from, int to) {
        if (!t.live()) {
            return t;
        }
        Counters counters = t.copyCounters();
        for (int i = from; i < to; i++) {
            DocStage s = (DocStage) stages.get(i);
            int k = i + 1;
            StageResult r;
            try {
                r = s.apply(t.doc, counters);
            } catch (RuntimeException | StackOverflowError e) {
                r = StageResult.reject("error_" + e.getClass().getSimpleName());
            }
            if (!r.kept()) {
                return t.reject(k, s.name(), r.reason(), counters);
            }
            t = t.kept(k, r.doc(), counters);
        }
        return t;
    }

    CorpusStage corpusStage(int i) {
        return (CorpusStage) stages.get(i);
    }
}
