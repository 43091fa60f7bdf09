package dev.orchard.data;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point of the curation pipeline: reads the inputs, runs the configured stages, writes {@code OUT/data/},
 * {@code OUT/report.json}, {@code OUT/report.html} and, when asked, {@code OUT/rejected/}.
 *
 * <pre>{@code
 * CurationReport r = Curation.run(new Curation.Request(List.of("pages.warc.gz"), "out", new CurationConfig(),
 *         false, null, System.err, true));
 * }</pre>
 */
public final class Curation {
    private Curation() {
    }

    /**
     * One run.
     *
     * @param inputs       files or directories (local paths or Hadoop URIs)
     * @param output       the output directory; must not exist or be empty
     * @param config       stages and their settings
     * @param keepRejected also write the rejected documents, with their reason, under {@code rejected/}
     * @param master       Spark master URL; null for the session already running (spark-submit) or {@code local[*]}
     * @param err          where progress goes
     * @param progress     whether to show progress
     */
    public record Request(List<String> inputs, String output, CurationConfig config, boolean keepRejected,
                          String master, PrintStream err, boolean progress) {
        public Request {
            if (inputs == null || inputs.isEmpty()) {
                throw new IllegalArgumentException("no input given");
            }
            inputs = List.copyOf(inputs);
            config = config == null ? new CurationConfig() : config;
            err = err == null ? System.err : err;
        }
    }

    /** Runs on Spark: a session already active in this JVM, else one started (and stopped) here. */
    public static CurationReport run(Request req) {
        req.config().validate();
        boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession spark = Sparks.session(req.master());
        try {
            return SparkRunner.run(req, spark);
        } finally {
            if (!existing) {
                spark.stop();
            }
        }
    }

    /** Runs on the given Spark session (left running). */
    public static CurationReport run(Request req, SparkSession spark) {
        req.config().validate();
        return SparkRunner.run(req, spark);
    }

    /**
     * Runs the same stages in a plain single-threaded loop without Spark (JSONL output only; everything in
     * memory). Meant as a baseline and a cross-check, not for corpora larger than the heap.
     */
    public static CurationReport runLocal(Request req) {
        req.config().validate();
        return LocalRunner.run(req);
    }
}
