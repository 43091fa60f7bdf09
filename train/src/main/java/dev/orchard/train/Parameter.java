package dev.orchard.train;

/**
 * A float32 weight of the model under training, under its Hugging Face tensor name (so a checkpoint is written by
 * name, with no translation table). Frozen parameters (norms of a LoRA base) take no gradient and no update.
 *
 * @param decay whether AdamW's weight decay applies (matrices yes, norm gains no)
 */
record Parameter(String name, int rows, int cols, float[] data, boolean trainable, boolean decay) {

    Parameter {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " floats, got " + data.length);
        }
    }

    int size() {
        return data.length;
    }

    /** The tensor's shape as safetensors writes it: {@code [cols]} for norm gains (1-D), else {@code [rows, cols]}. */
    long[] shape() {
        return name.endsWith("norm.weight") ? new long[] {cols} : new long[] {rows, cols};
    }
}
