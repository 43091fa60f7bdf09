package dev.orchard.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A document with its accounting: where it was rejected (if it was) and why, its text size after every stage, and
 * the counts stages added. Immutable: Spark may cache and recompute, so stages return new instances.
 *
 * <p>Stage 0 is reading; configured stages are 1..n. {@code bytes[k]} is the text size in UTF-8 bytes entering stage
 * k (so {@code bytes[0]} is the raw record size), and {@code bytes[n + 1]} the size written out.
 */
final class Tracked implements Serializable {
    final Doc doc;
    final String reason;
    final int rejectedAt;
    final long[] bytes;
    final Counters counters;

    private Tracked(Doc doc, String reason, int rejectedAt, long[] bytes, Counters counters) {
        this.doc = doc;
        this.reason = reason;
        this.rejectedAt = rejectedAt;
        this.bytes = bytes;
        this.counters = counters;
    }

    /** A document read successfully: raw record size, then the size of its text. */
    static Tracked read(Doc doc, long rawBytes, int stageCount) {
        return read(doc, rawBytes, stageCount, new Counters());
    }

    /** The same, with counts the reader adds (e.g. extra input fields). */
    static Tracked read(Doc doc, long rawBytes, int stageCount, Counters counters) {
        long[] b = new long[stageCount + 2];
        b[0] = rawBytes;
        b[1] = utf8Length(doc.text());
        return new Tracked(doc, null, -1, b, counters);
    }

    /** A record that could not be read; the placeholder doc keeps its id and source for the rejected output. */
    static Tracked malformed(String id, String source, String why, String snippet, long rawBytes, int stageCount) {
        long[] b = new long[stageCount + 2];
        b[0] = rawBytes;
        Doc d = Doc.plain(id, source, snippet == null ? "" : snippet);
        return new Tracked(d, "read:" + why, 0, b, new Counters());
    }

    boolean live() {
        return reason == null;
    }

    /** After stage {@code stage} kept the document as {@code next}. */
    Tracked kept(int stage, Doc next, Counters added) {
        long[] b = Arrays.copyOf(bytes, bytes.length);
        b[stage + 1] = next == doc || next.text() == doc.text() ? b[stage] : utf8Length(next.text());
        return new Tracked(next, null, -1, b, added == null ? counters : added);
    }

    /** Stage {@code stage} named {@code stageName} rejected the document. */
    Tracked reject(int stage, String stageName, String why, Counters added) {
        return new Tracked(doc, stageName + ":" + why, stage, bytes, added == null ? counters : added);
    }

    Counters copyCounters() {
        Counters c = new Counters();
        counters.asMap().forEach(c::add);
        return c;
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static long utf8Length(String s) {
        return s == null ? 0 : utf8Length((CharSequence) s);
    }
}
