package dev.orchard.core.quant;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Creates {@link WeightMatrix} views over encoded bytes, and encodes float matrices. */
public final class WeightMatrices {

    private WeightMatrices() {
    }

    /**
     * A view of {@code data} (exactly {@code rows * encoding.bytesFor(cols)} bytes) as a matrix; no copy. Uses
     * the fastest kernels for the encoding ({@link KernelPath#fastest}).
     */
    public static WeightMatrix wrap(Encoding encoding, MemorySegment data, int rows, int cols) {
        return wrap(encoding, data, rows, cols, KernelPath.fastest(encoding));
    }

    /** As {@link #wrap(Encoding, MemorySegment, int, int)} with the kernels chosen explicitly. */
    public static WeightMatrix wrap(Encoding encoding, MemorySegment data, int rows, int cols, KernelPath path) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
        return switch (encoding) {
            case F32 -> new F32Matrix(data, rows, cols, path);
            case F16 -> new F16Matrix(data, rows, cols, path);
            case BF16 -> new BF16Matrix(data, rows, cols, path);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols, path);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols, path);
            case Q2_K -> new Q2_KMatrix(data, rows, cols, path);
            case Q3_K -> new Q3_KMatrix(data, rows, cols, path);
            case Q4_K -> new Q4_KMatrix(data, rows, cols, path);
            case Q5_K -> new Q5_KMatrix(data, rows, cols, path);
            case Q6_K -> new Q6_KMatrix(data, rows, cols, path);
        };
    }

    /**
     * {@code outs[i] = matrices[i] x} for matrices that share the input, e.g. a layer's q, k and v projections:
     * one parallel job instead of one per matrix, and the quantized integer path quantizes {@code x} once.
     * Matrices of other implementations (say, wrapped with an adapter) are multiplied one by one.
     */
    public static void matVec(float[] x, WeightMatrix[] matrices, float[][] outs) {
        if (matrices.length != outs.length) {
            throw new IllegalArgumentException("matVec: " + matrices.length + " matrices but " + outs.length
                    + " outputs");
        }
        EncodedMatrix[] encoded = new EncodedMatrix[matrices.length];
        for (int i = 0; i < matrices.length; i++) {
            if (!(matrices[i] instanceof EncodedMatrix e) || matrices[i].cols() != matrices[0].cols()) {
                for (int j = 0; j < matrices.length; j++) {
                    matrices[j].matVec(x, outs[j]);
                }
                return;
            }
            encoded[i] = e;
        }
        EncodedMatrix.matVecAll(x, encoded, outs);
    }

    /** Encodes a row-major float matrix into a new off-heap segment in {@code encoding}. */
    public static WeightMatrix encode(Encoding encoding, float[] values, int rows, int cols) {
        return encode(encoding, values, rows, cols, KernelPath.fastest(encoding));
    }

    /** As {@link #encode(Encoding, float[], int, int)} with the kernels chosen explicitly. */
    public static WeightMatrix encode(Encoding encoding, float[] values, int rows, int cols, KernelPath path) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException("encode: " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
        MemorySegment segment = Arena.ofAuto().allocate(rows * encoding.bytesFor(cols), 64);
        Quantizer.encode(encoding, values, 0, (long) rows * cols, segment, 0);
        return wrap(encoding, segment, rows, cols, path);
    }
}
