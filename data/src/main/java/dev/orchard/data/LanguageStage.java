package dev.orchard.data;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Language identification with Lingua, keeping the configured languages. Only the models of the kept and candidate
 * languages are loaded (each costs memory and load time; all 75 would need over a gigabyte), once per JVM, and only
 * the first {@code max_chars} characters are read. A document whose best guess is under {@code min_confidence} is
 * rejected as uncertain.
 */
final class LanguageStage implements DocStage {
    private static final Map<String, LanguageDetector> DETECTORS = new ConcurrentHashMap<>();

    private final Set<String> keep;
    private final List<String> all;
    private final double minConfidence;
    private final int maxChars;
    private final boolean lowAccuracy;

    LanguageStage(CurationConfig.Language cfg) {
        this.keep = new LinkedHashSet<>();
        for (String k : cfg.keep) {
            keep.add(k.toLowerCase(Locale.ROOT));
        }
        Set<String> langs = new LinkedHashSet<>(keep);
        for (String c : cfg.candidates) {
            langs.add(c.toLowerCase(Locale.ROOT));
        }
        for (String l : langs) {
            iso(l); // fail on the driver, with a clear message, before any work starts
        }
        if (langs.size() < 2) {
            throw new IllegalArgumentException("language: name at least two languages across keep and candidates "
                    + "(a detector that knows one language cannot say a text is not in it)");
        }
        this.all = new ArrayList<>(langs);
        this.minConfidence = cfg.minConfidence;
        this.maxChars = cfg.maxChars;
        this.lowAccuracy = cfg.lowAccuracy;
    }

    @Override
    public String name() {
        return "language";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        String text = doc.text();
        if (text.length() > maxChars) {
            int cut = maxChars;
            while (cut < text.length() && !Character.isWhitespace(text.charAt(cut)) && cut < maxChars + 50) {
                cut++;
            }
            text = text.substring(0, cut);
        }
        SortedMap<Language, Double> conf = detector().computeLanguageConfidenceValues(text);
        if (conf.isEmpty()) {
            return StageResult.reject("unknown");
        }
        Language best = null;
        double bestConf = -1;
        for (Map.Entry<Language, Double> e : conf.entrySet()) {
            if (e.getValue() > bestConf) {
                best = e.getKey();
                bestConf = e.getValue();
            }
        }
        String code = best.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
        if (bestConf < minConfidence) {
            return StageResult.reject("uncertain");
        }
        if (!keep.contains(code)) {
            return StageResult.reject("not_kept_" + code);
        }
        return StageResult.keep(doc.withLanguage(code));
    }

    private LanguageDetector detector() {
        String key = all + (lowAccuracy ? "/low" : "/high");
        return DETECTORS.computeIfAbsent(key, k -> {
            LanguageDetectorBuilder b = LanguageDetectorBuilder.fromIsoCodes639_1(
                    all.stream().map(LanguageStage::iso).toArray(IsoCode639_1[]::new));
            if (lowAccuracy) {
                b = b.withLowAccuracyMode();
            }
            return b.build();
        });
    }

    static IsoCode639_1 iso(String code) {
        try {
            IsoCode639_1 c = IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT));
            if (c == IsoCode639_1.NONE) {
                throw new IllegalArgumentException();
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("language: '" + code + "' is not an ISO 639-1 code Lingua knows");
        }
    }
}
