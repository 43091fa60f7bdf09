package dev.orchard.core.model;

/**
 * Keys and values of every layer for positions {@code [0, capacity)}, float32.
 *
 * <p>Values are stored a row of kvDim per position, the order in which attention sums them. Keys are stored
 * transposed, per KV head and per dimension a row of positions ({@code keys[l][(head * headDim + d) * stride +
 * pos]}): the scores of 8 consecutive positions are then one vector multiply-add per dimension with the query
 * element broadcast, instead of one dot product (and one horizontal sum) per position. Rows are {@link #stride()}
 * long, the allocated positions rounded up to {@link Attention#BLOCK}, so score passes may read whole blocks past
 * the last position (those scores are never used).
 *
 * <p>A cache made with the constructor holds its whole capacity from the start (one sequence, as {@code generate}
 * uses it). One made with {@link #growable} starts with one block of {@link #BLOCK_POSITIONS} positions and grows
 * by blocks as the sequence does, up to its capacity, reserving every block's bytes from a shared
 * {@link KVMemoryBudget}: a server then pays for the tokens its requests hold, not for a full context each.
 * Growing copies the rows into larger arrays (the transposed key layout needs one contiguous row per dimension);
 * growth is by at least half the current size, so the copying costs a constant factor per position.
 */
public final class KVCache {

    /** Positions per allocation block of a growable cache; a multiple of {@link Attention#BLOCK}. */
    public static final int BLOCK_POSITIONS = 64;

    float[][] keys;
    float[][] values;
    private final int capacity;
    private final int kvDim;
    private final int headDim;
    private final int layers;
    private final KVMemoryBudget budget;
    private int allocated;
    private int stride;
    private long reservedBytes;

    /** A cache with all {@code capacity} positions allocated now. */
    public KVCache(ModelConfig config, int capacity) {
        this(config, capacity, capacity, null);
    }

    /**
     * A cache that allocates blocks of {@link #BLOCK_POSITIONS} as positions are written, up to {@code capacity},
     * reserving their bytes from {@code budget} (null: no budget). Nothing is allocated until the first
     * {@link #reserve}.
     */
    public static KVCache growable(ModelConfig config, int capacity, KVMemoryBudget budget) {
        return new KVCache(config, capacity, 0, budget);
    }

    private KVCache(ModelConfig config, int capacity, int initial, KVMemoryBudget budget) {
        if (capacity < 1) {
            throw new IllegalArgumentException("KV cache capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.kvDim = config.kvDim();
        this.headDim = config.headDim();
        this.layers = config.numHiddenLayers();
        this.budget = budget;
        this.keys = new float[layers][0];
        this.values = new float[layers][0];
        if (initial > 0) {
            resize(initial);
        }
    }

    /** The most positions the cache can hold. */
    public int capacity() {
        return capacity;
    }

    /** Positions allocated now (at most {@link #capacity()}). */
    public int allocated() {
        return allocated;
    }

    /** Bytes a cache of this shape needs for {@code positions} positions. */
    public static long bytesFor(ModelConfig config, int positions) {
        long stride = (long) Math.ceilDiv(positions, Attention.BLOCK) * Attention.BLOCK;
        return 4L * config.numHiddenLayers() * config.kvDim() * (stride + positions);
    }

    /**
     * Makes room for {@code positions} positions, growing by blocks if needed. Returns false, changing nothing,
     * when that would pass the capacity or the budget's limit.
     */
    public boolean reserve(int positions) {
        if (positions <= allocated) {
            return true;
        }
        if (positions > capacity) {
            return false;
        }
        int grown = Math.max(positions, allocated + Math.max(BLOCK_POSITIONS, allocated / 2));
        int target = Math.min(capacity, Math.ceilDiv(grown, BLOCK_POSITIONS) * BLOCK_POSITIONS);
        if (budget != null) {
            long extra = bytesFor(target) - reservedBytes;
            if (!budget.tryReserve(extra)) {
                // The budget may still have room for just what is needed.
                target = Math.min(capacity, Math.ceilDiv(positions, BLOCK_POSITIONS) * BLOCK_POSITIONS);
                extra = bytesFor(target) - reservedBytes;
                if (!budget.tryReserve(extra)) {
                    return false;
                }
            }
            reservedBytes += extra;
        }
        resize(target);
        return true;
    }

    /** Frees the arrays and gives their bytes back to the budget; the cache can grow again afterwards. */
    public void release() {
        if (budget != null && reservedBytes > 0) {
            budget.release(reservedBytes);
        }
        reservedBytes = 0;
        allocated = 0;
        stride = 0;
        keys = new float[layers][0];
        values = new float[layers][0];
    }

    private long bytesFor(int positions) {
        long s = (long) Math.ceilDiv(positions, Attention.BLOCK) * Attention.BLOCK;
        return 4L * layers * kvDim * (s + positions);
    }

    private void resize(int positions) {
        int newStride = Math.ceilDiv(positions, Attention.BLOCK) * Attention.BLOCK;
        for (int l = 0; l < layers; l++) {
            float[] k = new float[Math.multiplyExact(newStride, kvDim)];
            for (int j = 0; j < kvDim && allocated > 0; j++) {
                System.arraycopy(keys[l], j * stride, k, j * newStride, allocated);
            }
            float[] v = new float[Math.multiplyExact(positions, kvDim)];
            System.arraycopy(values[l], 0, v, 0, Math.min(values[l].length, v.length));
            keys[l] = k;
            values[l] = v;
        }
        allocated = positions;
        stride = newStride;
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

    /** Bytes held now. */
    public long byteSize() {
        return allocated == 0 ? 0 : bytesFor(allocated);
    }
}
