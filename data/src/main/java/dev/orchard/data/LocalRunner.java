package dev.orchard.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The same pipeline as a plain loop in one thread, without Spark: the baseline for the benchmark and an
 * independent check of the Spark plumbing (the tests require byte-identical JSONL output from both).
 */
final class LocalRunner {
    private LocalRunner() {
    }

    static CurationReport run(Curation.Request req) {
        long t0 = System.nanoTime();
        CurationConfig cfg = req.config();
        if (!cfg.output.format.equals("jsonl")) {
            throw new IllegalArgumentException("the local runner writes JSONL only");
        }
        Pipeline p = Pipeline.from(cfg);
        Configuration conf = new Configuration();
        List<InputFile> files = InputFile.expand(req.inputs(), conf);
        int n = p.stageCount();
        List<Tracked> docs = new ArrayList<>();
        for (InputFile f : files) {
            DocReader r = DocReader.open(f, conf, n);
            while (r.hasNext()) {
                docs.add(r.next());
            }
        }
        for (Pipeline.Segment s : p.segments()) {
            if (!s.corpus()) {
                docs.replaceAll(t -> p.runDocStages(t, s.from(), s.to()));
            } else {
                List<Tracked> live = new ArrayList<>();
                List<Tracked> dead = new ArrayList<>();
                for (Tracked t : docs) {
                    (t.live() ? live : dead).add(t);
                }
                docs = new ArrayList<>(p.corpusStage(s.from()).applyLocal(live, s.from() + 1));
                docs.addAll(dead);
            }
        }
        ReportBuilder b = new ReportBuilder(n);
        docs.forEach(b::add);
        long inputBytes = files.stream().mapToLong(InputFile::size).sum();
        CurationReport report = new CurationReport(p, b, files.size(), inputBytes, (System.nanoTime() - t0) / 1e9,
                "local single thread", cfg);
        if (req.output() != null) {
            write(req, docs, SparkRunner.Outputs.shards(cfg, inputBytes), report);
        }
        return report;
    }

    private static void write(Curation.Request req, List<Tracked> docs, int shards, CurationReport report) {
        Path out = Path.of(req.output()).toAbsolutePath();
        Path tmp = out.resolveSibling("." + out.getFileName() + ".orchard-tmp");
        try {
            if (Files.exists(out)) {
                try (Stream<Path> s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("output " + out + " already exists and is not empty");
                    }
                }
            }
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
            docs.sort(Comparator.comparing(t -> t.doc.id()));
            writeShards(docs.stream().filter(Tracked::live).toList(), tmp.resolve("data"), shards, false);
            if (req.keepRejected()) {
                writeShards(docs.stream().filter(t -> !t.live()).toList(), tmp.resolve("rejected"), shards, true);
            }
            Files.writeString(tmp.resolve("report.json"), report.toJson());
            Files.writeString(tmp.resolve("report.html"), report.toHtml());
            Files.deleteIfExists(out);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + ": " + e.getMessage(), e);
        }
    }

    private static void writeShards(List<Tracked> sorted, Path dir, int shards, boolean withReason)
            throws IOException {
        Files.createDirectories(dir);
        BufferedWriter[] w = new BufferedWriter[shards];
        try {
            for (int i = 0; i < shards; i++) {
                w[i] = Files.newBufferedWriter(dir.resolve(String.format("part-%05d.jsonl", i)),
                        StandardCharsets.UTF_8);
            }
            for (Tracked t : sorted) {
                BufferedWriter out = w[DocJson.shard(t.doc.id(), shards)];
                out.write(DocJson.line(t.doc, withReason ? t.reason : null));
                out.write('\n');
            }
        } finally {
            for (BufferedWriter x : w) {
                if (x != null) {
                    x.close();
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
