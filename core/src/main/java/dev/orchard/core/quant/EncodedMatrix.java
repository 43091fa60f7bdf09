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
    /**
     * Rows that {@link #matVecEach} multiplies with every input before moving on: small enough that the rows stay
     * in L1 (16 rows of 1536 Q8_0 weights are 26 KB) while each input passes over them.
     */
    static final int EACH_ROWS = 16;
    /** Rows decoded together in {@link #matMul}: four at a time feed {@link FloatMatMul}'s 4-row micro-kernel. */
    static final int TILE_ROWS = 8;
    /** Below this many tokens, matMul runs mat-vecs (each token's own dot products) instead of tiles. */
    static final int MIN_TILED_TOKENS = 4;

    /** Per-thread float buffers: one for {@link #matMul}'s decoded tiles, one for kernels that decode rows. */
    static final int SCRATCH_TILE = 0;
    static final int SCRATCH_DOT = 1;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    final MemorySegment data;
    final int rows;
    final int cols;
    final long rowBytes;
    final KernelPath path;
    /**
     * For the integer path of block-quantized encodings, every block's f16 scale as a float, row after row (see
     * {@link #decodeBlockScales}); otherwise null.
     */
    final float[] scales;

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
        this.scales = int8() ? decodeBlockScales(data, rows, cols, rowBytes, encoding().blockBytes()) : null;
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
    public long bytesReadPerMatVec() {
        return byteSize() + (scales == null ? 0 : 4L * scales.length);
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

    /**
     * Whether mat-vecs take the integer path (quantized activations); Q8_0 and Q4_0 override. Called from the
     * constructor, so overrides may read only {@link #path}.
     */
    boolean int8() {
        return false;
    }

    /** Integer path over rows [start, end); only called when {@link #int8()}. */
    void dotRowsInt8(int start, int end, Q8Activations a, float[] out, int outOffset) {
        throw new UnsupportedOperationException(encoding() + " has no integer kernel");
    }

    /** Rows [start, end) of a mat-vec with this matrix's kernels; {@code a} is the quantized x when int8. */
    final void matVecRows(int start, int end, float[] x, int xOffset, Q8Activations a, float[] out, int outOffset) {
        if (path == KernelPath.SCALAR) {
            for (int r = start; r < end; r++) {
                out[outOffset + r] = dotScalar(r, x, xOffset);
            }
        } else if (int8()) {
            dotRowsInt8(start, end, a, out, outOffset);
        } else {
            dotRows(start, end, x, xOffset, out, outOffset);
        }
    }

    @Override
    public void matVec(float[] x, float[] out) {
        checkVec(x, out);
        matVecAt(x, 0, out, 0);
    }

    /** Mat-vec of the input at {@code x[xOffset..]} into {@code out[outOffset..]}. */
    void matVecAt(float[] x, int xOffset, float[] out, int outOffset) {
        Q8Activations a = int8()
                ? Q8Activations.forCurrentThread().quantize(x, xOffset, cols, 1, encoding() == Encoding.Q4_0) : null;
        Parallel.forRange(rows, GRAIN, (start, end) -> matVecRows(start, end, x, xOffset, a, out, outOffset));
    }

    @Override
    public void matVecEach(float[] x, int n, float[] out) {
        if (n < 0 || x.length < (long) n * cols || out.length < (long) n * rows) {
            throw new IllegalArgumentException("matVecEach: " + n + " inputs of " + cols + " need x >= "
                    + (long) n * cols + " and out >= " + (long) n * rows + ", got " + x.length + " and " + out.length);
        }
        if (n == 1) {
            matVecAt(x, 0, out, 0);
            return;
        }
        Q8Activations[] a = int8() ? Q8Activations.batchForCurrentThread(n) : null;
        if (a != null) {
            for (int i = 0; i < n; i++) {
                a[i].quantize(x, i * cols, cols, 1, encoding() == Encoding.Q4_0);
            }
        }
        Parallel.forRange(rows, GRAIN, (start, end) -> {
            for (int r0 = start; r0 < end; r0 += EACH_ROWS) {
                int r1 = Math.min(end, r0 + EACH_ROWS);
                for (int i = 0; i < n; i++) {
                    matVecRows(r0, r1, x, i * cols, a == null ? null : a[i], out, i * rows);
                }
            }
        });
    }

    /**
     * Mat-vecs of several matrices with the same input (q, k, v; gate, up) as one parallel job: one barrier and,
     * for the integer path, one quantization of {@code x} instead of one per matrix.
     */
    static void matVecAll(float[] x, EncodedMatrix[] matrices, float[][] outs) {
        int total = 0;
        boolean anyInt8 = false;
        boolean anyQ4 = false;
        int[] firstRow = new int[matrices.length + 1];
        for (int i = 0; i < matrices.length; i++) {
            EncodedMatrix m = matrices[i];
            m.checkVec(x, outs[i]);
            if (m.cols != matrices[0].cols) {
                throw new IllegalArgumentException("matVec of several matrices needs one column count, got "
                        + matrices[0] + " and " + m);
            }
            anyInt8 |= m.int8();
            anyQ4 |= m.int8() && m.encoding() == Encoding.Q4_0;
            firstRow[i] = total;
            total += m.rows;
        }
        firstRow[matrices.length] = total;
        Q8Activations a = anyInt8
                ? Q8Activations.forCurrentThread().quantize(x, 0, matrices[0].cols, 1, anyQ4) : null;
        Parallel.forRange(total, GRAIN, (start, end) -> {
            for (int i = 0; i < matrices.length; i++) {
                int from = Math.max(start, firstRow[i]);
                int to = Math.min(end, firstRow[i + 1]);
                if (from < to) {
                    matrices[i].matVecRows(from - firstRow[i], to - firstRow[i], x, 0, a, outs[i], 0);
                }
            }
        });
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
                matVecAt(x, i * cols, out, i * rows);
            }
        } else {
            matMulTiled(x, n, out);
        }
    }

    /** Decodes {@link #TILE_ROWS} rows at a time to floats and multiplies them with all {@code n} inputs. */
    void matMulTiled(float[] x, int n, float[] out) {
        Parallel.forRange(rows, TILE_ROWS * 2, (start, end) -> {
            float[] tile = scratch(SCRATCH_TILE, TILE_ROWS * cols);
            for (int r0 = start; r0 < end; r0 += TILE_ROWS) {
                int count = Math.min(TILE_ROWS, end - r0);
                decodeRows(r0, count, tile);
                FloatMatMul.rowTile(tile, count, cols, x, n, out, rows, r0);
            }
        });
    }

    /**
     * The f16 scales of a block-quantized matrix (each block's first two bytes) decoded to floats, row after row.
     * The integer kernels read these instead of converting an f16 per block: that conversion (a 16-bit load, a
     * move to a vector register, {@code vcvtph2ps}) was a fifth of a Q4_0 block's instructions, and skipping it
     * measured 1.1-1.2x per kernel. The cost is memory, 4 bytes per 32 weights held on the heap beside the
     * memory-mapped weights (22% of a Q4_0 matrix's size, 12% of a Q8_0 one's); the quantized values themselves
     * stay mapped and are never copied.
     */
    static float[] decodeBlockScales(MemorySegment data, int rows, int cols, long rowBytes, int blockBytes) {
        int blocks = cols / 32;
        float[] scales = new float[Math.multiplyExact(rows, blocks)];
        for (int r = 0; r < rows; r++) {
            long base = r * rowBytes;
            for (int b = 0; b < blocks; b++) {
                scales[r * blocks + b] = Float.float16ToFloat(
                        data.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, base + (long) b * blockBytes));
            }
        }
        return scales;
    }

    /** This thread's buffer {@code slot}, at least {@code size} long. */
    static float[] scratch(int slot, int size) {
        float[][] holder = SCRATCH.get();
        if (holder[slot].length < size) {
            holder[slot] = new float[size];
        }
        return holder[slot];
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
