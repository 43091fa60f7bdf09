package dev.orchard.eval.ifeval;

import com.cybozu.labs.langdetect.Detector;
import com.cybozu.labs.langdetect.DetectorFactory;
import com.cybozu.labs.langdetect.LangDetectException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code langdetect.detect}: Shuyo's n-gram language detector (the Java original that Python's langdetect ports)
 * with its bundled profiles. The detector samples n-grams at random; the seed is fixed so that a score never
 * changes between runs (the reference leaves it unseeded, which only matters for texts on a knife's edge).
 */
final class LanguageDetector {

    /** The 53 profiles shipped in the langdetect 1.1 jar, under /profiles/. */
    private static final List<String> PROFILES = List.of("af", "ar", "bg", "bn", "cs", "da", "de", "el", "en", "es",
            "et", "fa", "fi", "fr", "gu", "he", "hi", "hr", "hu", "id", "it", "ja", "kn", "ko", "lt", "lv", "mk", "ml",
            "mr", "ne", "nl", "no", "pa", "pl", "pt", "ro", "ru", "sk", "sl", "so", "sq", "sv", "sw", "ta", "te", "th",
            "tl", "tr", "uk", "ur", "vi", "zh-cn", "zh-tw");
    private static final long SEED = 0L;

    private LanguageDetector() {
    }

    private static final class Holder {
        static {
            List<String> json = new ArrayList<>();
            for (String lang : PROFILES) {
                try (InputStream in = LanguageDetector.class.getResourceAsStream("/profiles/" + lang)) {
                    if (in == null) {
                        throw new IllegalStateException("langdetect profile missing from the class path: " + lang);
                    }
                    json.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                DetectorFactory.clear();
                DetectorFactory.loadProfile(json);
                DetectorFactory.setSeed(SEED);
            } catch (LangDetectException e) {
                throw new IllegalStateException("cannot load language profiles: " + e.getMessage(), e);
            }
        }

        static void init() {
        }
    }

    /**
     * The detected language code (ISO 639-1, "zh-cn"/"zh-tw" for Chinese, "unknown" when nothing is probable
     * enough), or empty when the text has no features to judge (langdetect raises there; IFEval then counts the
     * instruction as followed).
     */
    static synchronized Optional<String> detect(String text) {
        Holder.init();
        try {
            Detector d = DetectorFactory.create();
            d.append(text);
            return Optional.of(d.detect());
        } catch (LangDetectException e) {
            return Optional.empty();
        }
    }
}
