package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a unit test (tagged slow): documents/s and MB/s of the default pipeline on Spark local[2] beside the
 * single-threaded loop, on the Gutenberg books and TinyStories. Run with
 * {@code mvn -pl data -am test -Pslow -Dtest=CurationBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class CurationBenchmarkTest {

    @Test
    void sparkLocal2VersusOneThread(@TempDir Path tmp) {
        Path data = Path.of(System.getProperty("orchard.repo", ".")).resolve("../shared/data");
        assumeTrue(Files.isDirectory(data.resolve("gutenberg")), "shared data not found");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "localhost")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            List<String[]> corpora = List.of(
                    new String[] {"gutenberg", data.resolve("gutenberg").toString()},
                    new String[] {"tinystories", data.resolve("tinystories/train.jsonl").toString()});
            // warm up both engines (JIT, Lingua models, Spark classes) on a small input
            String warm = data.resolve("tinystories/valid.jsonl").toString();
            run(spark, warm, tmp.resolve("w1").toString());
            Curation.runLocal(req(warm, tmp.resolve("w2").toString()));
            System.out.println("corpus       engine             docs   MB     seconds  docs/s   MB/s  kept");
            for (String[] c : corpora) {
                CurationReport s = run(spark, c[1], tmp.resolve(c[0] + "-spark").toString());
                CurationReport l = Curation.runLocal(req(c[1], tmp.resolve(c[0] + "-local").toString()));
                print(c[0], "spark local[2]", s);
                print(c[0], "one thread", l);
                assertThat(s.outputDocuments()).isEqualTo(l.outputDocuments());
                assertThat(s.reasons()).isEqualTo(l.reasons());
            }
        } finally {
            spark.stop();
        }
    }

    private static CurationReport run(SparkSession spark, String in, String out) {
        return Curation.run(req(in, out), spark);
    }

    private static Curation.Request req(String in, String out) {
        return new Curation.Request(List.of(in), out, new CurationConfig(), false, null, System.err, false);
    }

    private static void print(String corpus, String engine, CurationReport r) {
        double mb = r.inputFileBytes() / 1e6;
        System.out.printf("%-12s %-16s %6d %6.1f %9.1f %7.0f %6.2f %5d%n", corpus, engine, r.inputDocuments(), mb,
                r.seconds(), r.inputDocuments() / r.seconds(), mb / r.seconds(), r.outputDocuments());
    }
}
