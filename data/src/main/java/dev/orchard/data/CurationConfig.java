package dev.orchard.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The pipeline configuration, read from JSON or YAML (snake_case keys). Every field has the published default, so
 * an empty file (or none) runs every stage as published; a file only names what it changes. Unknown keys are an
 * error, so a typo cannot silently fall back to a default. {@code orchard curate defaults} prints this in full.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public final class CurationConfig implements Serializable {

    /** The stages in the order they run. */
    public List<String> stages = new ArrayList<>(List.of(
            "extract", "gutenberg", "opt_out", "language", "gopher_repetition", "gopher_quality", "c4", "fineweb",
            "profanity", "pii", "exact_dedup", "fuzzy_dedup", "quality_classifier", "decontamination"));

    public Output output = new Output();
    public Extract extract = new Extract();
    public Gutenberg gutenberg = new Gutenberg();
    public OptOut optOut = new OptOut();
    public Language language = new Language();
    public GopherRepetition gopherRepetition = new GopherRepetition();
    public GopherQuality gopherQuality = new GopherQuality();
    public C4 c4 = new C4();
    public FineWeb fineweb = new FineWeb();
    public Profanity profanity = new Profanity();
    public Pii pii = new Pii();
    public FuzzyDedup fuzzyDedup = new FuzzyDedup();
    public QualityClassifier qualityClassifier = new QualityClassifier();
    public Decontamination decontamination = new Decontamination();

    /** Output layout. */
    public static final class Output implements Serializable {
        /** {@code jsonl} or {@code parquet}. */
        public String format = "jsonl";
        /** Number of output files; 0 picks one per {@code shard_bytes} of input (a function of the input only). */
        public int shards = 0;
        public long shardBytes = 256L << 20;
    }

    /** HTML main-text extraction. */
    public static final class Extract implements Serializable {
        /**
         * {@code article} (readability-style article-body extraction with page metadata, the density classifier as
         * its fallback), {@code boilerplate} (the text/link-density block classifier alone) or {@code all_text}
         * (every visible text block).
         */
        public String method = "article";
    }

    /** Project Gutenberg plain text: licence header and footer removal, and joining of hard-wrapped lines. */
    public static final class Gutenberg implements Serializable {
        public boolean stripBoilerplate = true;
        /** Join lines inside a paragraph when the text is hard-wrapped (so line-based filters see paragraphs). */
        public boolean reflow = true;
    }

    /** robots.txt and block-list opt-out. */
    public static final class OptOut implements Serializable {
        public String userAgent = "OrchardBot";
        /** A directory of {@code <host>.txt} files, or a JSONL file of {@code {"host": ..., "robots": ...}}; null: none. */
        public String robots = null;
        /** A file with one blocked host, domain (blocks its subdomains too) or URL prefix per line; null: none. */
        public String blocklist = null;
    }

    /** Language identification (Lingua). */
    public static final class Language implements Serializable {
        /** ISO 639-1 codes to keep. */
        public List<String> keep = new ArrayList<>(List.of("en"));
        /** Languages the detector can answer besides those kept; only these models are loaded. */
        public List<String> candidates = new ArrayList<>(List.of("de", "fr", "es", "it", "pt", "nl", "ru", "zh",
                "ja", "ar", "pl", "sv"));
        /** Minimum confidence of the top language; below it the document is rejected as {@code uncertain}. */
        public double minConfidence = 0.5;
        /** Characters read per document (language is clear long before the end of a book). */
        public int maxChars = 1000;
        /** Lingua's low-accuracy mode loads only trigram models: less memory, faster, weaker on short text. */
        public boolean lowAccuracy = false;
    }

    /** Gopher repetition rules (Rae et al. 2021, as in datatrove's GopherRepetitionFilter). */
    public static final class GopherRepetition implements Serializable {
        public double dupLineFrac = 0.30;
        public double dupParaFrac = 0.30;
        public double dupLineCharFrac = 0.20;
        public double dupParaCharFrac = 0.20;
        /** {n, max fraction} of characters in the most frequent n-gram. */
        public List<double[]> topNGrams = new ArrayList<>(List.of(
                new double[] {2, 0.20}, new double[] {3, 0.18}, new double[] {4, 0.16}));
        /** {n, max fraction} of characters in duplicated n-grams. */
        public List<double[]> dupNGrams = new ArrayList<>(List.of(new double[] {5, 0.15}, new double[] {6, 0.14},
                new double[] {7, 0.13}, new double[] {8, 0.12}, new double[] {9, 0.11}, new double[] {10, 0.10}));
    }

    /** Gopher quality rules. */
    public static final class GopherQuality implements Serializable {
        public int minWords = 50;
        public int maxWords = 100_000;
        public double minMeanWordLength = 3;
        public double maxMeanWordLength = 10;
        public double maxSymbolWordRatio = 0.1;
        public double maxBulletLinesRatio = 0.9;
        public double maxEllipsisLinesRatio = 0.3;
        public double minAlphaWordsRatio = 0.8;
        public int minStopWords = 2;
        public List<String> stopWords = new ArrayList<>(List.of("the", "be", "to", "of", "and", "that", "have",
                "with"));
    }

    /** C4 line rules (Raffel et al. 2020, as in datatrove's C4QualityFilter). */
    public static final class C4 implements Serializable {
        public boolean filterNoTerminalPunct = true;
        public int minWordsPerLine = 3;
        public int maxWordLength = 1000;
        public int minSentences = 5;
        public boolean filterLoremIpsum = true;
        public boolean filterJavascript = true;
        public boolean filterCurlyBracket = true;
        public boolean filterPolicy = true;
        public boolean removeCitations = true;
    }

    /** FineWeb line rules (Penedo et al. 2024, datatrove's FineWebQualityFilter). */
    public static final class FineWeb implements Serializable {
        public double linePunctThreshold = 0.12;
        public double shortLineThreshold = 0.67;
        public int shortLineLength = 30;
        public double charDuplicatesRatio = 0.01;
        public double newLineRatio = 0.3;
    }

    /** Profanity (LDNOOBW English list). */
    public static final class Profanity implements Serializable {
        /** Documents whose matched-word ratio exceeds this are dropped (or flagged). C4 used 0: any match. */
        public double maxRatio = 0.002;
        /** {@code drop}, or {@code flag} to keep the document, count it and add {@code profanity} to its flags. */
        public String action = "drop";
        /** A word list file (one entry per line); null: the bundled LDNOOBW English list. */
        public String wordList = null;
    }

    /** PII scrubbing. */
    public static final class Pii implements Serializable {
        public List<String> kinds = new ArrayList<>(List.of("email", "ssn", "credit_card", "phone", "ip_address"));
        /** Regions whose national phone formats are recognised (international +CC numbers always are). */
        public List<String> phoneRegions = new ArrayList<>(List.of("US"));
    }

    /** MinHash-LSH near-duplicate removal. */
    public static final class FuzzyDedup implements Serializable {
        public int shingleWords = 5;
        public int bands = 14;
        public int rows = 8;
        public long seed = 1;
        /** Check each candidate pair by exact Jaccard of the shingle sets before merging. */
        public boolean verify = false;
        public double jaccardThreshold = 0.8;
        /** With {@code verify}, buckets larger than this are linked as a star to their first member. */
        public int maxBucketPairs = 50;
    }

    /** Hashed n-gram linear quality classifier. */
    public static final class QualityClassifier implements Serializable {
        /** Model file written by {@code orchard curate train-classifier}; null: the stage passes everything. */
        public String model = null;
        public double threshold = 0.5;
    }

    /** 13-gram decontamination. */
    public static final class Decontamination implements Serializable {
        public int n = 13;
        /** JSONL files and the field holding the text; {@code builtin:ifeval} is the bundled IFEval prompts. */
        public List<EvalSet> evalSets = new ArrayList<>(List.of(new EvalSet("builtin:ifeval", "prompt")));
        /** n-grams found in more than this many corpus documents are common phrases, not contamination. */
        public int maxCorpusDocs = 10;
    }

    /** One evaluation set for decontamination. */
    public static final class EvalSet implements Serializable {
        public String path;
        public String field = "prompt";

        public EvalSet() {
        }

        public EvalSet(String path, String field) {
            this.path = path;
            this.field = field;
        }
    }

    static ObjectMapper mapper(boolean yaml) {
        ObjectMapper m = yaml
                ? new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
                : new ObjectMapper();
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        return m;
    }

    /** Reads a config file (YAML for .yaml/.yml, else JSON); missing keys keep their defaults. */
    public static CurationConfig load(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        try {
            String text = Files.readString(file);
            CurationConfig c = text.isBlank() ? new CurationConfig()
                    : mapper(yaml).readValue(text, CurationConfig.class);
            c.validate();
            return c;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config " + file + ": " + e.getMessage(), e);
        }
    }

    /** The config as YAML (the published defaults when called on {@code new CurationConfig()}). */
    public String toYaml() {
        try {
            return mapper(true).writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks names and ranges, with messages that say what to fix. */
    public void validate() {
        for (String s : stages) {
            if (!Pipeline.STAGE_NAMES.contains(s)) {
                throw new IllegalArgumentException("unknown stage '" + s + "'; known: " + Pipeline.STAGE_NAMES);
            }
        }
        if (stages.stream().distinct().count() != stages.size()) {
            throw new IllegalArgumentException("a stage is listed twice in 'stages': " + stages);
        }
        if (!output.format.equals("jsonl") && !output.format.equals("parquet")) {
            throw new IllegalArgumentException("output.format must be jsonl or parquet, not " + output.format);
        }
        if (!Set.of("article", "boilerplate", "all_text").contains(extract.method)) {
            throw new IllegalArgumentException("extract.method must be article, boilerplate or all_text, not "
                    + extract.method);
        }
        if (!profanity.action.equals("drop") && !profanity.action.equals("flag")) {
            throw new IllegalArgumentException("profanity.action must be drop or flag");
        }
        if (fuzzyDedup.bands < 1 || fuzzyDedup.rows < 1 || fuzzyDedup.shingleWords < 1) {
            throw new IllegalArgumentException("fuzzy_dedup.bands, rows and shingle_words must be positive");
        }
        if (decontamination.n < 1) {
            throw new IllegalArgumentException("decontamination.n must be positive");
        }
        for (String p : pii.kinds) {
            if (!List.of("email", "ssn", "credit_card", "phone", "ip_address").contains(p)) {
                throw new IllegalArgumentException("unknown pii kind '" + p
                        + "'; known: email, ssn, credit_card, phone, ip_address");
            }
        }
    }
}
