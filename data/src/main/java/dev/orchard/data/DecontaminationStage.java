package dev.orchard.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Drops documents that share a word n-gram (13 by default, as in GPT-3's decontamination) with an evaluation set.
 * N-grams found in more than {@code max_corpus_docs} corpus documents are treated as common phrases ("in the United
 * States of America ...") rather than leaked test data, and ignored. Evaluation texts shorter than n words are not
 * used: their full text would match ordinary phrases.
 */
final class DecontaminationStage implements CorpusStage {
    private final int n;
    private final int maxCorpusDocs;
    private final HashSet<Long> evalGrams;
    private final int evalTexts;

    DecontaminationStage(CurationConfig.Decontamination cfg) {
        this(cfg.n, cfg.maxCorpusDocs, loadEvalTexts(cfg.evalSets));
    }

    DecontaminationStage(int n, int maxCorpusDocs, List<String> evalTexts) {
        this.n = n;
        this.maxCorpusDocs = maxCorpusDocs;
        this.evalGrams = new HashSet<>();
        for (String t : evalTexts) {
            List<String> w = Words.normalized(t);
            if (w.size() >= n) {
                for (long h : NGrams.hashes(w, n, n)) {
                    evalGrams.add(h);
                }
            }
        }
        this.evalTexts = evalTexts.size();
    }

    @Override
    public String name() {
        return "decontamination";
    }

    int evalNGramCount() {
        return evalGrams.size();
    }

    /** The distinct evaluation n-grams a text contains. */
    private static long[] matches(String text, int n, Set<Long> grams) {
        List<String> w = Words.normalized(text);
        if (w.size() < n) {
            return new long[0];
        }
        Set<Long> hit = new HashSet<>();
        for (long h : NGrams.hashes(w, n, n)) {
            if (grams.contains(h)) {
                hit.add(h);
            }
        }
        return hit.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private Tracked decide(Tracked t, long[] hits, Set<Long> common, int stageIndex) {
        for (long h : hits) {
            if (!common.contains(h)) {
                return t.reject(stageIndex, name(), "eval_ngram_overlap", null);
            }
        }
        return t.kept(stageIndex, t.doc, null);
    }

    @Override
    public JavaRDD<Tracked> apply(JavaRDD<Tracked> live, int stageIndex) {
        if (evalGrams.isEmpty()) {
            return live.map(t -> t.kept(stageIndex, t.doc, null));
        }
        var sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(live.context());
        Broadcast<HashSet<Long>> grams = sc.broadcast(evalGrams);
        int nn = n;
        var withHits = live.map(t -> new Tuple2<>(t, matches(t.doc.text(), nn, grams.value())))
                .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        int max = maxCorpusDocs;
        List<Long> commonList = withHits
                .flatMap(p -> java.util.Arrays.stream(p._2).boxed().iterator())
                .mapToPair(h -> new Tuple2<>(h, 1L))
                .reduceByKey(Long::sum)
                .filter(p -> p._2 > max)
                .keys()
                .collect();
        Broadcast<HashSet<Long>> common = sc.broadcast(new HashSet<>(commonList));
        return withHits.map(p -> decide(p._1, p._2, common.value(), stageIndex));
    }

    @Override
    public List<Tracked> applyLocal(List<Tracked> live, int stageIndex) {
        List<long[]> hits = new ArrayList<>(live.size());
        Map<Long, Long> df = new HashMap<>();
        for (Tracked t : live) {
            long[] h = evalGrams.isEmpty() ? new long[0] : matches(t.doc.text(), n, evalGrams);
            hits.add(h);
            for (long x : h) {
                df.merge(x, 1L, Long::sum);
            }
        }
        Set<Long> common = new HashSet<>();
        df.forEach((h, c) -> {
            if (c > maxCorpusDocs) {
                common.add(h);
            }
        });
        List<Tracked> out = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            out.add(decide(live.get(i), hits.get(i), common, stageIndex));
        }
        return out;
    }

    /** Reads the texts of every configured evaluation set ({@code builtin:ifeval} is bundled). */
    static List<String> loadEvalTexts(List<CurationConfig.EvalSet> sets) {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (CurationConfig.EvalSet s : sets) {
            try (InputStream in = open(s.path);
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                int lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(line);
                    } catch (IOException e) {
                        throw new IllegalArgumentException("decontamination eval set " + s.path + " line " + lineNo
                                + " is not JSON");
                    }
                    JsonNode v = node.get(s.field);
                    if (v == null || !v.isTextual()) {
                        throw new IllegalArgumentException("decontamination eval set " + s.path + " line " + lineNo
                                + " has no text field '" + s.field + "'");
                    }
                    out.add(v.asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read decontamination eval set " + s.path + ": "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    private static InputStream open(String path) throws IOException {
        if (path.equals("builtin:ifeval")) {
            return DecontaminationStage.class.getResourceAsStream("ifeval-prompts.jsonl");
        }
        return Files.newInputStream(Path.of(path));
    }
}
