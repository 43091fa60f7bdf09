package dev.orchard.train;

/**
 * A row-major {@code rows x cols} float matrix on the tape, with its gradient. The gradient array is allocated on
 * first use; tensors that do not require a gradient (inputs, frozen weights) never get one, and ops skip their
 * share of the backward pass.
 */
final class Tensor {

    final int rows;
    final int cols;
    final float[] data;
    final boolean requiresGrad;
    private float[] grad;

    Tensor(int rows, int cols, float[] data, float[] grad, boolean requiresGrad) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("tensor " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " floats, got " + data.length);
        }
        if (grad != null && grad.length != data.length) {
            throw new IllegalArgumentException("gradient length " + grad.length + " != data length " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.grad = grad;
        this.requiresGrad = requiresGrad;
    }

    /** A tensor that takes no gradient (token embeddings of a frozen model, teacher outputs, test inputs). */
    static Tensor constant(int rows, int cols, float[] data) {
        return new Tensor(rows, cols, data, null, false);
    }

    /** A fresh zero tensor; it takes a gradient if {@code requiresGrad}. */
    static Tensor zeros(int rows, int cols, boolean requiresGrad) {
        return new Tensor(rows, cols, new float[Math.multiplyExact(rows, cols)], null, requiresGrad);
    }

    /** The gradient, allocated (zero) on first use. */
    float[] grad() {
        if (grad == null) {
            grad = new float[data.length];
        }
        return grad;
    }

    int size() {
        return data.length;
    }

    /** The single value of a 1x1 tensor (a loss). */
    float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() of a " + rows + "x" + cols + " tensor");
        }
        return data[0];
    }

    @Override
    public String toString() {
        return "Tensor[" + rows + "x" + cols + (requiresGrad ? ", grad" : "") + "]";
    }
}
