package dev.orchard.data;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/** Named counts a stage adds for the report (e.g. {@code pii.email = 3}). Not thread-safe: one per document. */
public final class Counters implements Serializable {
    private TreeMap<String, Long> counts;

    public void add(String name, long n) {
        if (n == 0) {
            return;
        }
        if (counts == null) {
            counts = new TreeMap<>();
        }
        counts.merge(name, n, Long::sum);
    }

    Map<String, Long> asMap() {
        return counts == null ? Map.of() : counts;
    }

    boolean isEmpty() {
        return counts == null || counts.isEmpty();
    }
}
