package dev.orchard.core.model;

/**
 * Keys and values of every layer for positions {@code [0, capacity)}, float32.
 *
 * <p>Values are stored a row of kvDim per position, the order in which attention sums them. Keys are stored
 * transposed, per KV head and per dimension a row of positions ({@code keys[l][(head * headDim + d) * stride +
 * pos]}): the scores of 8 consecutive positions are then one vector multiply-add per dimension with the query
 * element broadcast, instead of one dot product (and one horizontal sum) per position. Rows are {@link #stride()}
 * long, the capacity rounded up to {@link Attention#BLOCK}, so score passes may read whole blocks past the last
 * position (those scores are never used).
 */
public final class KVCache {

    final float[][] keys;
    final float[][] values;
    private final int capacity;
    private final int stride;
    private final int kvDim;
    private final int headDim;

    public KVCache(ModelConfig config, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("KV cache capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.stride = Math.ceilDiv(capacity, Attention.BLOCK) * Attention.BLOCK;
        this.kvDim = config.kvDim();
        this.headDim = config.headDim();
        this.keys = new float[config.numHiddenLayers()][Math.multiplyExact(stride, kvDim)];
        this.values = new float[config.numHiddenLayers()][Math.multiplyExact(capacity, kvDim)];
    }

    public int capacity() {
        return capacity;
    }

    /** Length of one transposed key row (positions), a multiple of {@link Attention#BLOCK}. */
    int stride() {
        return stride;
    }

    /** Stores position {@code pos}'s key and value rows of layer {@code l} from {@code k[ko..]} and {@code v[vo..]}. */
    void put(int l, int pos, float[] k, int ko, float[] v, int vo) {
        float[] keyRows = keys[l];
        for (int j = 0; j < kvDim; j++) {
            keyRows[j * stride + pos] = k[ko + j];
        }
        System.arraycopy(v, vo, values[l], pos * kvDim, kvDim);
    }

    /** Offset in {@code keys[l]} of KV head {@code head}'s first transposed row. */
    int keyOffset(int head) {
        return head * headDim * stride;
    }

    public long byteSize() {
        return 4L * keys.length * ((long) stride * kvDim + (long) capacity * kvDim);
    }
}
