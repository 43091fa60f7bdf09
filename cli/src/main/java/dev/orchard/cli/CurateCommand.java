package dev.orchard.cli;

import dev.orchard.data.ClassifierTraining;
import dev.orchard.data.Curation;
import dev.orchard.data.CurationConfig;
import dev.orchard.data.CurationReport;
import dev.orchard.data.QualityClassifier;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orchard curate}: the data curation pipeline (a thin layer over {@link Curation}). */
@Command(name = "curate", mixinStandardHelpOptions = true,
        description = {"Curate a text corpus on Apache Spark (embedded local mode unless --master names a cluster):",
            "extraction, opt-out, language ID, quality rules, profanity, PII scrubbing, exact and fuzzy dedup,",
            "quality classifier, decontamination. Writes OUT/data/, OUT/report.json and OUT/report.html."},
        subcommands = {CurateCommand.TrainClassifier.class, CurateCommand.Defaults.class})
public final class CurateCommand implements Callable<Integer> {

    @Option(names = "--input", arity = "1..*", paramLabel = "PATH",
            description = "Input files or directories: .jsonl (with a text field), .parquet, .txt, .html, .warc, "
                    + ".warc.gz (.jsonl.gz and .txt.gz too).")
    List<String> inputs;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Output directory; must not exist or be empty.")
    String output;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Pipeline config, YAML or JSON; keys not given keep the published defaults "
                    + "(see 'orchard curate defaults').")
    Path config;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master URL (default: the one spark-submit gives, else local[*]).")
    String master;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: jsonl (default) or parquet.")
    String format;

    @Option(names = "--keep-rejected", description = "Also write removed documents to DIR/rejected/ with a reason.")
    boolean keepRejected;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "spark",
            description = "spark (default), or local: the same stages in one thread without Spark (JSONL only; "
                    + "a baseline for comparisons).")
    String engine;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // checked here rather than with required=true, which would also demand them of the subcommands
        if (inputs == null || inputs.isEmpty() || output == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "orchard curate needs --input PATH... and --output DIR (see --help)");
        }
        CurationConfig c = config == null ? new CurationConfig() : CurationConfig.load(config);
        if (format != null) {
            c.output.format = format;
        }
        c.validate();
        Curation.Request req = new Curation.Request(inputs, output, c, keepRejected, master, System.err, !quiet);
        CurationReport r = switch (engine) {
            case "spark" -> Curation.run(req);
            case "local" -> Curation.runLocal(req);
            default -> throw new IllegalArgumentException("--engine must be spark or local, not " + engine);
        };
        System.out.printf("%d documents in, %d kept, %d removed (%.1f s); report: %s%n", r.inputDocuments(),
                r.outputDocuments(), r.rejectedDocuments(), r.seconds(), Path.of(output).resolve("report.html"));
        return r.balanced() ? 0 : 2;
    }

    /** {@code orchard curate train-classifier}. */
    @Command(name = "train-classifier", mixinStandardHelpOptions = true,
            description = "Train the hashed n-gram quality classifier on good and bad example documents.")
    static final class TrainClassifier implements Callable<Integer> {
        @Option(names = "--positive", required = true, arity = "1..*", paramLabel = "PATH",
                description = "Files or directories of good documents.")
        List<String> positive;

        @Option(names = "--negative", required = true, arity = "1..*", paramLabel = "PATH",
                description = "Files or directories of bad documents.")
        List<String> negative;

        @Option(names = "--output", required = true, paramLabel = "FILE", description = "Model file to write.")
        Path output;

        @Option(names = "--buckets", defaultValue = "1048576", description = "Hashed feature buckets.")
        int buckets;

        @Option(names = "--ngrams", defaultValue = "2", description = "Longest word n-gram used as a feature.")
        int ngrams;

        @Option(names = "--epochs", defaultValue = "10", description = "Passes over the data.")
        int epochs;

        @Option(names = "--lr", defaultValue = "0.5", description = "Initial learning rate.")
        double lr;

        @Option(names = "--holdout", defaultValue = "0.1", description = "Fraction held out to report accuracy.")
        double holdout;

        @Override
        public Integer call() {
            QualityClassifier.Options d = QualityClassifier.Options.defaults();
            ClassifierTraining.Result r = ClassifierTraining.train(positive, negative,
                    new QualityClassifier.Options(buckets, ngrams, epochs, lr, d.l2(), d.seed()), holdout);
            r.model().save(output);
            System.out.printf("trained on %d positive, %d negative documents; accuracy %.3f on training data,"
                    + " %.3f on %d held out; model: %s%n", r.positives(), r.negatives(), r.trainAccuracy(),
                    r.heldOutAccuracy(), r.heldOut(), output);
            return 0;
        }
    }

    /** {@code orchard curate defaults}. */
    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = "Print the default pipeline config (YAML): every stage and its published thresholds.")
    static final class Defaults implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(new CurationConfig().toYaml());
            return 0;
        }
    }
}
