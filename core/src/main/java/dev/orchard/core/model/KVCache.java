package dev.orchard.core.model;

/** Keys and values of every layer for positions {@code [0, capacity)}, float32, one row of kvDim per position. */
public final class KVCache {

    final float[][] keys;
    final float[][] values;
    private final int capacity;
    private final int kvDim;

    public KVCache(ModelConfig config, int capacity) {
        this.capacity = capacity;
        this.kvDim = config.kvDim();
        this.keys = new float[config.numHiddenLayers()][Math.multiplyExact(capacity, kvDim)];
        this.values = new float[config.numHiddenLayers()][Math.multiplyExact(capacity, kvDim)];
    }

    public int capacity() {
        return capacity;
    }

    public long byteSize() {
        return 8L * keys.length * capacity * kvDim;
    }
}
