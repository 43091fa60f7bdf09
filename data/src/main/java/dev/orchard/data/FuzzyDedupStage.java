package dev.orchard.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Near-duplicate removal with MinHash-LSH: word-shingle MinHash signatures, split into bands; documents sharing a
 * band are candidates (optionally confirmed by exact Jaccard of their shingle sets); candidate pairs are merged into
 * connected components (in Spark by iterated min-label propagation), and each component keeps its smallest id.
 */
final class FuzzyDedupStage implements CorpusStage {
    private final CurationConfig.FuzzyDedup c;
    private final MinHash minHash;

    FuzzyDedupStage(CurationConfig.FuzzyDedup c) {
        this.c = c;
        this.minHash = new MinHash(c.bands, c.rows, c.seed);
    }

    @Override
    public String name() {
        return "fuzzy_dedup";
    }

    long[] shingles(String text) {
        return MinHash.distinctSorted(NGrams.hashes(Words.normalized(text), c.shingleWords, 1));
    }

    /** Candidate edges of one LSH bucket, its members sorted by id. */
    private List<Tuple2<String, String>> bucketEdges(List<String> ids) {
        List<Tuple2<String, String>> edges = new ArrayList<>();
        if (ids.size() < 2) {
            return edges;
        }
        List<String> s = new ArrayList<>(ids);
        s.sort(null);
        if (c.verify && s.size() <= c.maxBucketPairs) {
            for (int i = 0; i < s.size(); i++) {
                for (int j = i + 1; j < s.size(); j++) {
                    edges.add(new Tuple2<>(s.get(i), s.get(j)));
                }
            }
        } else {
            for (int i = 1; i < s.size(); i++) {
                edges.add(new Tuple2<>(s.get(0), s.get(i)));
            }
        }
        return edges;
    }

    @Override
    public JavaRDD<Tracked> apply(JavaRDD<Tracked> live, int stageIndex) {
        JavaPairRDD<String, long[]> shingles = live
                .mapToPair(t -> new Tuple2<>(t.doc.id(), shingles(t.doc.text())))
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<String, String> edges = shingles
                .flatMapToPair(p -> {
                    List<Tuple2<Long, String>> out = new ArrayList<>();
                    if (p._2.length > 0) {
                        for (long k : minHash.bandKeys(minHash.signature(p._2))) {
                            out.add(new Tuple2<>(k, p._1));
                        }
                    }
                    return out.iterator();
                })
                .groupByKey()
                .flatMapToPair(b -> {
                    List<String> ids = new ArrayList<>();
                    b._2.forEach(ids::add);
                    return bucketEdges(ids).iterator();
                })
                .distinct();
        if (c.verify) {
            double th = c.jaccardThreshold;
            edges = edges.join(shingles)
                    .mapToPair(e -> new Tuple2<>(e._2._1, new Tuple2<>(e._1, e._2._2)))
                    .join(shingles)
                    .filter(e -> MinHash.jaccard(e._2._1._2, e._2._2) >= th)
                    .mapToPair(e -> new Tuple2<>(e._2._1._1, e._1));
        }
        edges = edges.persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<String, String> labels = components(edges);
        shingles.unpersist(false);
        JavaRDD<Tracked> out = live.mapToPair(t -> new Tuple2<>(t.doc.id(), t))
                .leftOuterJoin(labels)
                .values()
                .map(p -> {
                    Tracked t = p._1;
                    String label = p._2.orElse(t.doc.id());
                    return label.equals(t.doc.id()) ? t.kept(stageIndex, t.doc, null)
                            : t.reject(stageIndex, "fuzzy_dedup", "near_duplicate", null);
                });
        return out;
    }

    /** Each vertex of the edge list with the smallest id of its connected component. */
    static JavaPairRDD<String, String> components(JavaPairRDD<String, String> edges) {
        JavaPairRDD<String, String> both = edges.union(edges.mapToPair(Tuple2::swap))
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<String, String> labels = both.reduceByKey((x, y) -> x.compareTo(y) <= 0 ? x : y)
                .mapToPair(p -> new Tuple2<>(p._1, p._1.compareTo(p._2) <= 0 ? p._1 : p._2))
                .persist(StorageLevel.MEMORY_AND_DISK());
        while (true) {
            // every vertex takes the smallest label among itself and its neighbours
            JavaPairRDD<String, String> next = both.join(labels)
                    .mapToPair(p -> new Tuple2<>(p._2._1, p._2._2))
                    .union(labels)
                    .reduceByKey((x, y) -> x.compareTo(y) <= 0 ? x : y)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long changed = next.join(labels).filter(p -> !p._2._1.equals(p._2._2)).count();
            labels.unpersist(false);
            labels = next;
            if (changed == 0) {
                break;
            }
        }
        both.unpersist(false);
        return labels;
    }

    @Override
    public List<Tracked> applyLocal(List<Tracked> live, int stageIndex) {
        Map<String, Integer> index = new HashMap<>();
        List<long[]> sh = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            index.put(live.get(i).doc.id(), i);
            sh.add(shingles(live.get(i).doc.text()));
        }
        Map<Long, List<String>> buckets = new HashMap<>();
        for (int i = 0; i < live.size(); i++) {
            if (sh.get(i).length == 0) {
                continue;
            }
            for (long k : minHash.bandKeys(minHash.signature(sh.get(i)))) {
                buckets.computeIfAbsent(k, x -> new ArrayList<>()).add(live.get(i).doc.id());
            }
        }
        int[] parent = new int[live.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (List<String> ids : buckets.values()) {
            for (Tuple2<String, String> e : bucketEdges(ids)) {
                int x = index.get(e._1);
                int y = index.get(e._2);
                if (c.verify && MinHash.jaccard(sh.get(x), sh.get(y)) < c.jaccardThreshold) {
                    continue;
                }
                union(parent, x, y);
            }
        }
        Map<Integer, String> smallest = new HashMap<>();
        for (int i = 0; i < live.size(); i++) {
            smallest.merge(find(parent, i), live.get(i).doc.id(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
        }
        List<Tracked> out = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            Tracked t = live.get(i);
            out.add(smallest.get(find(parent, i)).equals(t.doc.id()) ? t.kept(stageIndex, t.doc, null)
                    : t.reject(stageIndex, name(), "near_duplicate", null));
        }
        return out;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int x, int y) {
        int a = find(parent, x);
        int b = find(parent, y);
        if (a != b) {
            parent[Math.max(a, b)] = Math.min(a, b);
        }
    }
}
