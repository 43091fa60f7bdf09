package dev.orchard.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Exact deduplication: documents whose normalized text (lower-cased words, punctuation and spacing ignored) has the
 * same SHA-256 are one document; the one with the smallest id is kept.
 */
final class ExactDedupStage implements CorpusStage {

    @Override
    public String name() {
        return "exact_dedup";
    }

    static String key(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.join(" ", Words.normalized(text)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JavaRDD<Tracked> apply(JavaRDD<Tracked> live, int stageIndex) {
        var keyed = live.mapToPair(t -> new Tuple2<>(key(t.doc.text()), t));
        var winners = keyed.mapValues(t -> t.doc.id()).reduceByKey((x, y) -> x.compareTo(y) <= 0 ? x : y);
        return keyed.join(winners).values().map(p -> decide(p._1, p._2, stageIndex));
    }

    private Tracked decide(Tracked t, String winner, int stageIndex) {
        return t.doc.id().equals(winner) ? t.kept(stageIndex, t.doc, null)
                : t.reject(stageIndex, name(), "duplicate", null);
    }

    @Override
    public List<Tracked> applyLocal(List<Tracked> live, int stageIndex) {
        Map<String, String> winners = new HashMap<>();
        List<String> keys = new ArrayList<>(live.size());
        for (Tracked t : live) {
            String k = key(t.doc.text());
            keys.add(k);
            winners.merge(k, t.doc.id(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
        }
        List<Tracked> out = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            out.add(decide(live.get(i), winners.get(keys.get(i)), stageIndex));
        }
        return out;
    }
}
