package dev.orchard.data;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/** Sums the accounting of documents into per-stage figures; partial sums from Spark tasks merge. */
final class ReportBuilder implements Serializable {
    final long[] docsIn;
    final long[] docsOut;
    final long[] bytesIn;
    final long[] bytesOut;
    final TreeMap<String, Long> reasons = new TreeMap<>();
    final TreeMap<String, Long> counters = new TreeMap<>();
    long documents;
    long kept;

    ReportBuilder(int stageCount) {
        int n = stageCount + 1; // reading plus the configured stages
        docsIn = new long[n];
        docsOut = new long[n];
        bytesIn = new long[n];
        bytesOut = new long[n];
    }

    ReportBuilder add(Tracked t) {
        documents++;
        int n = docsIn.length;
        for (int k = 0; k < n; k++) {
            boolean in = t.rejectedAt < 0 || t.rejectedAt >= k;
            if (!in) {
                break;
            }
            docsIn[k]++;
            bytesIn[k] += t.bytes[k];
            if (t.rejectedAt < 0 || t.rejectedAt > k) {
                docsOut[k]++;
                bytesOut[k] += t.bytes[k + 1];
            }
        }
        if (t.live()) {
            kept++;
        } else {
            reasons.merge(t.reason, 1L, Long::sum);
        }
        for (Map.Entry<String, Long> e : t.counters.asMap().entrySet()) {
            counters.merge(e.getKey(), e.getValue(), Long::sum);
        }
        return this;
    }

    ReportBuilder merge(ReportBuilder o) {
        for (int k = 0; k < docsIn.length; k++) {
            docsIn[k] += o.docsIn[k];
            docsOut[k] += o.docsOut[k];
            bytesIn[k] += o.bytesIn[k];
            bytesOut[k] += o.bytesOut[k];
        }
        o.reasons.forEach((r, c) -> reasons.merge(r, c, Long::sum));
        o.counters.forEach((r, c) -> counters.merge(r, c, Long::sum));
        documents += o.documents;
        kept += o.kept;
        return this;
    }
}
