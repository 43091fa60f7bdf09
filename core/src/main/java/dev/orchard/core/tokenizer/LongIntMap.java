package dev.orchard.core.tokenizer;

import java.util.Arrays;

/** Open-addressing map from long keys (never -1) to non-negative ints, growing as needed. */
final class LongIntMap {

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(keys, -1L);
        mask = cap - 1;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    int get(long key) {
        int i = slot(key, mask);
        long k;
        while ((k = keys[i]) != -1L) {
            if (k == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    void put(long key, int value) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int i = slot(key, mask);
        while (keys[i] != -1L) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, -1L);
        mask = keys.length - 1;
        size = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != -1L) {
                put(oldKeys[j], oldValues[j]);
            }
        }
    }
}
