package dev.orchard.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Runs the pipeline on Spark. Files are read one task each and spread over the cluster; runs of per-document stages
 * are one map; corpus stages (dedup, decontamination) see the live documents while rejected ones ride alongside, so
 * the final aggregate can account for every document. Output goes to a temporary directory beside the target and is
 * renamed into place only when complete.
 */
final class SparkRunner {
    private SparkRunner() {
    }

    static CurationReport run(Curation.Request req, SparkSession spark) {
        long t0 = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hconf = sc.hadoopConfiguration();
        CurationConfig cfg = req.config();
        Pipeline p = Pipeline.from(cfg);
        List<InputFile> files = InputFile.expand(req.inputs(), hconf);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files (.jsonl, .parquet, .txt, .html, .warc) under "
                    + req.inputs());
        }
        Path out = new Path(req.output());
        Path tmp;
        FileSystem fs;
        try {
            fs = out.getFileSystem(hconf);
            tmp = Outputs.prepare(fs, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output " + out + ": " + e.getMessage(), e);
        }
        long inputBytes = files.stream().mapToLong(InputFile::size).sum();
        int shards = Outputs.shards(cfg, inputBytes);
        int n = p.stageCount();
        int par = Math.max(2, sc.defaultParallelism());
        List<JavaRDD<?>> cached = new ArrayList<>();
        try (Progress progress = new Progress(req.err(), sc, req.progress())) {
            progress.step("reading " + files.size() + " files (" + CurationReport.human(inputBytes) + ")");
            JavaRDD<Tracked> docs = sc.parallelize(files, files.size())
                    .flatMap(f -> DocReader.open(f, new Configuration(), n));
            if (files.size() < 2 * par) {
                docs = docs.repartition(2 * par); // a few big files: spread their documents over the cores
            }
            for (Pipeline.Segment s : p.segments()) {
                int from = s.from();
                int to = s.to();
                if (!s.corpus()) {
                    docs = docs.map(t -> p.runDocStages(t, from, to));
                    continue;
                }
                docs = docs.persist(StorageLevel.MEMORY_AND_DISK());
                cached.add(docs);
                progress.step("stages up to " + p.stageName(from) + " (" + docs.count() + " documents)");
                progress.step(p.stageName(from + 1));
                JavaRDD<Tracked> live = docs.filter(Tracked::live);
                JavaRDD<Tracked> dead = docs.filter(t -> !t.live());
                docs = p.corpusStage(from).apply(live, from + 1).union(dead).coalesce(2 * par);
            }
            docs = docs.persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(docs);
            progress.step("accounting");
            ReportBuilder b = docs.treeAggregate(new ReportBuilder(n), ReportBuilder::add, ReportBuilder::merge);
            progress.step("writing " + b.kept + " documents to " + out);
            write(spark, docs.filter(Tracked::live), new Path(tmp, "data"), shards, cfg.output.format, false);
            if (req.keepRejected()) {
                progress.step("writing " + (b.documents - b.kept) + " rejected documents");
                write(spark, docs.filter(t -> !t.live()), new Path(tmp, "rejected"), shards, cfg.output.format,
                        true);
            }
            CurationReport report = new CurationReport(p, b, files.size(), inputBytes,
                    (System.nanoTime() - t0) / 1e9, "spark " + spark.version() + " " + sc.master(), cfg);
            writeString(fs, new Path(tmp, "report.json"), report.toJson());
            writeString(fs, new Path(tmp, "report.html"), report.toHtml());
            Outputs.commit(fs, tmp, out);
            progress.step("done: " + b.kept + " of " + b.documents + " documents kept");
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + ": " + e.getMessage(), e);
        } finally {
            cached.forEach(r -> r.unpersist(false));
        }
    }

    static final StructType SCHEMA = DataTypes.createStructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("source", DataTypes.StringType, false),
        DataTypes.createStructField("url", DataTypes.StringType, true),
        DataTypes.createStructField("title", DataTypes.StringType, true),
        DataTypes.createStructField("language", DataTypes.StringType, true),
        DataTypes.createStructField("quality", DataTypes.DoubleType, true),
        DataTypes.createStructField("flags", DataTypes.createArrayType(DataTypes.StringType, false), true),
        // the input's extra fields as one JSON object text, under their input names (see ExtraFields)
        DataTypes.createStructField("meta", DataTypes.StringType, true),
        DataTypes.createStructField("text", DataTypes.StringType, false),
    });

    private static void write(SparkSession spark, JavaRDD<Tracked> docs, Path dir, int shards, String format,
                              boolean withReason) throws IOException {
        var sorted = docs.mapToPair(t -> new Tuple2<>(t.doc.id(), t))
                .repartitionAndSortWithinPartitions(new HashPartitioner(shards));
        FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (format.equals("parquet")) {
            StructType schema = withReason
                    ? SCHEMA.add(DataTypes.createStructField("reason", DataTypes.StringType, true)) : SCHEMA;
            JavaRDD<Row> rows = sorted.values().map(t -> {
                Doc d = t.doc;
                Double q = Double.isNaN(d.quality()) ? null : d.quality();
                String[] flags = d.flags().isEmpty() ? null : d.flags().toArray(String[]::new); // null: as in JSONL
                return withReason
                        ? RowFactory.create(d.id(), d.source(), d.url(), d.title(), d.language(), q, flags, d.meta(),
                                d.text(), t.reason)
                        : RowFactory.create(d.id(), d.source(), d.url(), d.title(), d.language(), q, flags, d.meta(),
                                d.text());
            });
            spark.createDataFrame(rows, schema).write().option("compression", "snappy").parquet(dir.toString());
        } else {
            sorted.values().map(t -> DocJson.line(t.doc, withReason ? t.reason : null))
                    .saveAsTextFile(dir.toString());
        }
        Outputs.tidy(fs, dir, format.equals("parquet") ? ".parquet" : ".jsonl");
    }

    private static void writeString(FileSystem fs, Path p, String s) throws IOException {
        try (OutputStream o = Outputs.raw(fs).create(p, true)) {
            o.write(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Output directory handling shared by the Spark writer. */
    static final class Outputs {
        private Outputs() {
        }

        /** The local file system without its checksum layer, which hides (and keeps creating) .crc files. */
        static FileSystem raw(FileSystem fs) {
            return fs instanceof org.apache.hadoop.fs.LocalFileSystem l ? l.getRaw() : fs;
        }

        static int shards(CurationConfig cfg, long inputBytes) {
            if (cfg.output.shards > 0) {
                return cfg.output.shards;
            }
            return (int) Math.max(1, Math.min(10_000, (inputBytes + cfg.output.shardBytes - 1)
                    / cfg.output.shardBytes));
        }

        /** Checks the target is absent or empty, and returns a fresh temporary directory beside it. */
        static Path prepare(FileSystem fs, Path out) throws IOException {
            if (fs.exists(out)) {
                FileStatus st = fs.getFileStatus(out);
                if (!st.isDirectory() || fs.listStatus(out).length > 0) {
                    throw new IllegalArgumentException("output " + out + " already exists and is not an empty "
                            + "directory; choose a new one (runs never overwrite)");
                }
            }
            Path tmp = new Path(out.getParent(), "." + out.getName() + ".orchard-tmp");
            if (fs.exists(tmp)) {
                fs.delete(tmp, true); // left by a run that died
            }
            fs.mkdirs(tmp);
            return tmp;
        }

        /** Renames part files to {@code part-NNNNN<ext>} and removes committer markers and checksum files. */
        static void tidy(FileSystem fs, Path dir, String ext) throws IOException {
            fs = raw(fs);
            for (FileStatus f : fs.listStatus(dir)) {
                String name = f.getPath().getName();
                if (name.startsWith("part-") && !name.startsWith(".")) {
                    String base = name.substring(0, 10); // part-NNNNN
                    Path target = new Path(dir, base + ext);
                    if (!name.equals(base + ext) && !fs.rename(f.getPath(), target)) {
                        throw new IOException("cannot rename " + f.getPath() + " to " + target);
                    }
                }
            }
            for (FileStatus f : fs.listStatus(dir)) {
                String name = f.getPath().getName();
                if (name.startsWith(".") || name.startsWith("_")) {
                    fs.delete(f.getPath(), true);
                }
            }
        }

        static void commit(FileSystem fs, Path tmp, Path out) throws IOException {
            fs = raw(fs);
            for (FileStatus f : fs.listStatus(tmp)) {
                if (f.getPath().getName().startsWith(".")) {
                    fs.delete(f.getPath(), true); // checksum files of the reports
                }
            }
            if (fs.exists(out)) {
                fs.delete(out, false); // empty, checked in prepare
            }
            if (!fs.rename(tmp, out)) {
                throw new IOException("cannot rename " + tmp + " to " + out);
            }
        }
    }
}
