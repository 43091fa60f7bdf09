package dev.orchard.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One worker's gradient buffers, one per trainable parameter, and the binding of parameters to tape tensors: a
 * trainable parameter becomes a tensor over the shared values with this worker's gradient array, a frozen one a
 * constant. Binding the same parameter twice (tied embeddings) shares the gradient array, so both uses add up.
 */
final class Grads {

    private final List<Parameter> parameters;
    private final Map<Parameter, float[]> grads = new IdentityHashMap<>();

    Grads(List<Parameter> trainable) {
        this.parameters = List.copyOf(trainable);
        for (Parameter p : parameters) {
            grads.put(p, new float[p.size()]);
        }
    }

    Tensor bind(Parameter p) {
        float[] g = grads.get(p);
        if (g == null) {
            return Tensor.constant(p.rows(), p.cols(), p.data());
        }
        return new Tensor(p.rows(), p.cols(), p.data(), g, true);
    }

    float[] of(Parameter p) {
        return grads.get(p);
    }

    List<Parameter> parameters() {
        return parameters;
    }

    void zero() {
        for (float[] g : grads.values()) {
            java.util.Arrays.fill(g, 0f);
        }
    }

    /** Adds {@code other}'s gradients into this one's. */
    void addFrom(Grads other) {
        for (Parameter p : parameters) {
            float[] dst = grads.get(p);
            float[] src = other.grads.get(p);
            for (int i = 0; i < dst.length; i++) {
                dst[i] += src[i];
            }
        }
    }
}
