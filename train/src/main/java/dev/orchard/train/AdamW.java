package dev.orchard.train;

import dev.orchard.core.format.SafeTensors;
import dev.orchard.core.format.SafeTensorsWriter;
import dev.orchard.core.format.FormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}:
 * {@code p -= lr * wd * p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr * m^ / (sqrt(v^) + eps)} with
 * bias-corrected {@code m^, v^}. Decay applies only to parameters marked {@code decay}: matrices and LoRA factors,
 * not norm gains (fine-tuning runs default to no decay at all). Its state (both moments and the step count) is
 * saved with checkpoints so training resumes exactly.
 */
final class AdamW {

    record Settings(double beta1, double beta2, double eps, double weightDecay) {
        static Settings defaults() {
            return new Settings(0.9, 0.95, 1e-8, 0.1);
        }
    }

    private final List<Parameter> params;
    private final Settings s;
    private final float[][] m;
    private final float[][] v;
    private long step;

    AdamW(List<Parameter> params, Settings settings) {
        this.params = List.copyOf(params);
        this.s = settings;
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).size()];
            v[i] = new float[params.get(i).size()];
        }
    }

    long step() {
        return step;
    }

    /** One update with learning rate {@code lr} from the gradients in {@code g}. */
    void update(Grads g, double lr) {
        step++;
        double bc1 = 1 - Math.pow(s.beta1(), step);
        double bc2 = 1 - Math.pow(s.beta2(), step);
        float b1 = (float) s.beta1();
        float b2 = (float) s.beta2();
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float eps = (float) s.eps();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            float[] w = p.data();
            float[] grad = g.of(p);
            float[] mi = m[i];
            float[] vi = v[i];
            float decay = p.decay() ? (float) (1 - lr * s.weightDecay()) : 1f;
            for (int j = 0; j < w.length; j++) {
                float gj = grad[j];
                mi[j] = b1 * mi[j] + (1 - b1) * gj;
                vi[j] = b2 * vi[j] + (1 - b2) * gj * gj;
                w[j] = w[j] * decay - stepSize * mi[j] / ((float) Math.sqrt(vi[j]) * invSqrtBc2 + eps);
            }
        }
    }

    /** Scales the gradients so that their global L2 norm is at most {@code maxNorm}; returns the norm before. */
    static double clip(Grads g, double maxNorm) {
        double ss = 0;
        for (Parameter p : g.parameters()) {
            for (float x : g.of(p)) {
                ss += (double) x * x;
            }
        }
        double norm = Math.sqrt(ss);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Parameter p : g.parameters()) {
                float[] x = g.of(p);
                for (int i = 0; i < x.length; i++) {
                    x[i] *= scale;
                }
            }
        }
        return norm;
    }

    void save(Path file) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter(Map.of("step", Long.toString(step)));
        for (int i = 0; i < params.size(); i++) {
            String name = params.get(i).name();
            w.addF32(name + ".exp_avg", new long[] {m[i].length}, m[i]);
            w.addF32(name + ".exp_avg_sq", new long[] {v[i].length}, v[i]);
        }
        w.write(file);
    }

    void load(Path file) throws IOException {
        try (SafeTensors st = SafeTensors.open(file)) {
            for (int i = 0; i < params.size(); i++) {
                String name = params.get(i).name();
                copy(st, file, name + ".exp_avg", m[i]);
                copy(st, file, name + ".exp_avg_sq", v[i]);
            }
            String stepText = st.metadata().get("step");
            if (stepText == null) {
                throw new FormatException(file + ": no step in the metadata");
            }
            step = Long.parseLong(stepText);
        }
    }

    private static void copy(SafeTensors st, Path file, String name, float[] dst) {
        SafeTensors.Tensor t = st.tensors().get(name);
        if (t == null || t.elements() != dst.length) {
            throw new FormatException(file + ": optimizer state " + name + " is missing or has the wrong size");
        }
        System.arraycopy(t.toFloatArray(), 0, dst, 0, dst.length);
    }
}
