package dev.orchard.core.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing hash map from a token pair (left, right) to its merge: rank and merged token id. Primitive keys
 * keep the merge loop free of boxing; the map is filled once and then only read, so it is safe to share.
 */
final class PairMap {

    private static final long EMPTY = -1L;

    private long[] keys;
    private long[] values;
    private int size;
    private int mask;

    PairMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** Adds a merge unless the pair already has one (the first, best-ranked entry wins). Returns true if added. */
    boolean putIfAbsent(int left, int right, int rank, int merged) {
        if (size * 2 >= keys.length) {
            grow();
        }
        long key = key(left, right);
        int i = slot(key, mask);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
        size++;
        return true;
    }

    /** The merge of (left, right) as {@code rank << 32 | merged}, or -1 when the pair does not merge. */
    long get(int left, int right) {
        long key = key(left, right);
        int i = slot(key, mask);
        long k;
        while ((k = keys[i]) != EMPTY) {
            if (k == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return -1L;
    }

    int size() {
        return size;
    }

    /** Calls {@code visitor} with every entry, in no particular order. */
    void forEach(Visitor visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                visitor.visit((int) (keys[i] >>> 32), (int) keys[i], (int) (values[i] >>> 32), (int) values[i]);
            }
        }
    }

    interface Visitor {
        void visit(int left, int right, int rank, int merged);
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
