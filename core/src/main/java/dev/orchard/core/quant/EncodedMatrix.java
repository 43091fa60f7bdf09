package dev.orchard.core.quant;

import dev.orchard.core.kernel.Parallel;

import java.lang.foreign.MemorySegment;

/**
 * Shared shape and threading for matrices stored row by row in a memory segment. Subclasses supply the dot
 * product of one row with a float vector and the dequantization of one row.
 */
abstract class EncodedMatrix implements WeightMatrix {

    final MemorySegment data;
    final int rows;
    final int cols;
    final long rowBytes;

    EncodedMatrix(MemorySegment data, int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = encoding().bytesFor(cols);
        long expected = rowBytes * rows;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(encoding() + " matrix " + rows + "x" + cols + " needs " + expected
                    + " bytes, got " + data.byteSize());
        }
        this.data = data;
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

    /** Dot product of row {@code r} with {@code x[xOffset .. xOffset + cols)}. */
    abstract float dot(int r, float[] x, int xOffset);

    @Override
    public void matVec(float[] x, float[] out) {
        checkVec(x, out);
        Parallel.forRange(rows, 16, (start, end) -> {
            for (int r = start; r < end; r++) {
                out[r] = dot(r, x, 0);
            }
        });
    }

    @Override
    public void matMul(float[] x, int n, float[] out) {
        if (x.length < (long) n * cols || out.length < (long) n * rows) {
            throw new IllegalArgumentException("matMul: " + n + " inputs of " + cols + " need x >= " + (long) n * cols
                    + " and out >= " + (long) n * rows + ", got " + x.length + " and " + out.length);
        }
        Parallel.forRange(rows, 16, (start, end) -> {
            for (int r = start; r < end; r++) {
                for (int i = 0; i < n; i++) {
                    out[i * rows + r] = dot(r, x, i * cols);
                }
            }
        });
    }

    void checkVec(float[] x, float[] out) {
        if (x.length < cols || out.length < rows) {
            throw new IllegalArgumentException("matVec: " + rows + "x" + cols + " matrix needs x >= " + cols
                    + " and out >= " + rows + ", got " + x.length + " and " + out.length);
        }
    }

    @Override
    public String toString() {
        return encoding() + "[" + rows + "x" + cols + "]";
    }
}
