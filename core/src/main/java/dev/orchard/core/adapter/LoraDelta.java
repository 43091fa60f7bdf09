package dev.orchard.core.adapter;

import dev.orchard.core.kernel.FloatOps;

/**
 * The low-rank side path of one projection: {@code y += scale * B (A x)} with {@code A: r x in},
 * {@code B: out x r}. The base weight is never touched, so one base serves any number of adapters.
 */
public final class LoraDelta {

    private final int rank;
    private final int in;
    private final int out;
    private final float scale;
    private final float[] a;
    private final float[] b;

    public LoraDelta(int rank, int in, int out, float scale, float[] a, float[] b) {
        if (a.length != rank * in || b.length != out * rank) {
            throw new IllegalArgumentException("LoRA A must be " + rank + "x" + in + " and B " + out + "x" + rank);
        }
        this.rank = rank;
        this.in = in;
        this.out = out;
        this.scale = scale;
        this.a = a;
        this.b = b;
    }

    public int rank() {
        return rank;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public float scale() {
        return scale;
    }

    /** A copy of A (rank x in, row-major). */
    public float[] a() {
        return a.clone();
    }

    /** A copy of B (out x rank, row-major). */
    public float[] b() {
        return b.clone();
    }

    /** Adds {@code scale * B (A x)} to {@code y[yo..yo+out)}; {@code tmp} needs {@code rank} floats. */
    public void addTo(float[] x, int xo, float[] y, int yo, float[] tmp) {
        for (int j = 0; j < rank; j++) {
            tmp[j] = scale * FloatOps.dot(a, j * in, x, xo, in);
        }
        for (int o = 0; o < out; o++) {
            y[yo + o] += FloatOps.dot(b, o * rank, tmp, 0, rank);
        }
    }

    /**
     * {@link #addTo} for several rows of a batch at once: for each {@code i < count}, row {@code rows[i]} of
     * {@code x} (rows {@link #in()} floats apart) adds into row {@code rows[i]} of {@code y} (rows {@link #out()}
     * apart). Each row of A and B is read once for the whole group; every sum is the same as {@link #addTo}'s, so
     * a row gets bit-identical results alone or in a batch. {@code tmp} needs {@code count * rank} floats.
     */
    public void addToRows(float[] x, float[] y, int[] rows, int count, float[] tmp) {
        for (int j = 0; j < rank; j++) {
            for (int i = 0; i < count; i++) {
                tmp[i * rank + j] = scale * FloatOps.dot(a, j * in, x, rows[i] * in, in);
            }
        }
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < count; i++) {
                y[rows[i] * out + o] += FloatOps.dot(b, o * rank, tmp, i * rank, rank);
            }
        }
    }

    /** {@code scale * B A} as a dense {@code out x in} matrix (for merging). */
    public float[] denseDelta() {
        float[] d = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < rank; j++) {
                FloatOps.axpy(scale * b[o * rank + j], a, j * in, d, o * in, in);
            }
        }
        return d;
    }

    long byteSize() {
        return 4L * (a.length + b.length);
    }
}
