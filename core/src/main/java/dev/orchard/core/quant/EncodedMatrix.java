package dev.orchard.core.quant;

import dev.orchard.core.kernel.FloatMatMul;
import dev.orchard.core.kernel.Parallel;

import java.lang.foreign.MemorySegment;

/**
 * Shared shape, threading and batching for matrices stored row by row in a memory segment. Subclasses supply,
 * per encoding, a scalar reference dot product, a vectorized one over a range of rows, and the dequantization of
 * rows (which {@link #matMul} uses to decode each weight once per batch of tokens).
 */
abstract class EncodedMatrix implements WeightMatrix {

    /** Rows per unit of work handed to a thread; chunks are multiples of it. */
    static final int GRAIN = 16;
    /** Rows decoded together in {@link #matMul}: four at a time feed {@link FloatMatMul}'s 4-row micro-kernel. */
    static final int TILE_ROWS = 8;
    /** Below this many tokens, matMul runs mat-vecs (each token's own dot products) instead of tiles. */
    static final int MIN_TILED_TOKENS = 4;

    private static final ThreadLocal<float[][]> TILE = ThreadLocal.withInitial(() -> new float[1][0]);

    final MemorySegment data;
    final int rows;
    final int cols;
    final long rowBytes;
    final KernelPath path;

    EncodedMatrix(MemorySegment data, int rows, int cols, KernelPath path) {
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = encoding().bytesFor(cols);
        long expected = rowBytes * rows;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(encoding() + " matrix " + rows + "x" + cols + " needs " + expected
                    + " bytes, got " + data.byteSize());
        }
        this.data = data;
        this.path = path;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public long byteSize() {
        return data.byteSize();
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    /** The kernels this matrix runs. */
    KernelPath path() {
        return path;
    }

    /** Reference: dot product of row {@code r} with {@code x[xOffset .. xOffset + cols)}, one element at a time. */
    abstract float dotScalar(int r, float[] x, int xOffset);

    /** Vectorized float path: {@code out[outOffset + r] = row r . x[xOffset ..]} for {@code r} in [start, end). */
    abstract void dotRows(int start, int end, float[] x, int xOffset, float[] out, int outOffset);

    /** Reference dequantization of row {@code r}. */
    abstract void rowScalar(int r, float[] dst, int offset);

    /** Dequantizes rows {@code [r0, r0 + count)} into {@code dst} back to back; vectorized where it pays. */
    void decodeRows(int r0, int count, float[] dst) {
        for (int i = 0; i < count; i++) {
            row(r0 + i, dst, i * cols);
        }
    }

    @Override
    public void row(int r, float[] dst, int offset) {
        rowScalar(r, dst, offset);
    }

    @Override
    public void matVec(float[] x, float[] out) {
        checkVec(x, out);
        if (path == KernelPath.SCALAR) {
            Parallel.forRange(rows, GRAIN, (start, end) -> {
                for (int r = start; r < end; r++) {
                    out[r] = dotScalar(r, x, 0);
                }
            });
        } else {
            matVecVector(x, 0, out, 0);
        }
    }

    /** Vector mat-vec of the input at {@code x[xOffset..]} into {@code out[outOffset..]}; the int8 path overrides. */
    void matVecVector(float[] x, int xOffset, float[] out, int outOffset) {
        Parallel.forRange(rows, GRAIN, (start, end) -> dotRows(start, end, x, xOffset, out, outOffset));
    }

    @Override
    public void matMul(float[] x, int n, float[] out) {
        if (n < 0 || x.length < (long) n * cols || out.length < (long) n * rows) {
            throw new IllegalArgumentException("matMul: " + n + " inputs of " + cols + " need x >= " + (long) n * cols
                    + " and out >= " + (long) n * rows + ", got " + x.length + " and " + out.length);
        }
        if (path == KernelPath.SCALAR) {
            Parallel.forRange(rows, GRAIN, (start, end) -> {
                for (int r = start; r < end; r++) {
                    for (int i = 0; i < n; i++) {
                        out[i * rows + r] = dotScalar(r, x, i * cols);
                    }
                }
            });
        } else if (n < MIN_TILED_TOKENS) {
            for (int i = 0; i < n; i++) {
                matVecVector(x, i * cols, out, i * rows);
            }
        } else {
            matMulTiled(x, n, out);
        }
    }

    /** Decodes {@link #TILE_ROWS} rows at a time to floats and multiplies them with all {@code n} inputs. */
    void matMulTiled(float[] x, int n, float[] out) {
        Parallel.forRange(rows, TILE_ROWS * 2, (start, end) -> {
            float[] tile = tile(TILE_ROWS * cols);
            for (int r0 = start; r0 < end; r0 += TILE_ROWS) {
                int count = Math.min(TILE_ROWS, end - r0);
                decodeRows(r0, count, tile);
                FloatMatMul.rowTile(tile, count, cols, x, n, out, rows, r0);
            }
        });
    }

    static float[] tile(int size) {
        float[][] holder = TILE.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    void checkVec(float[] x, float[] out) {
        if (x.length < cols || out.length < rows) {
            throw new IllegalArgumentException("matVec: " + rows + "x" + cols + " matrix needs x >= " + cols
                    + " and out >= " + rows + ", got " + x.length + " and " + out.length);
        }
    }

    @Override
    public String toString() {
        return encoding() + "[" + rows + "x" + cols + ", " + path + "]";
    }
}
