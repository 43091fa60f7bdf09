package dev.orchard.core.adapter;

import dev.orchard.core.format.SafeTensorsWriter;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.Projection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random LoRA adapters in PEFT's layout, for tests and benchmarks of adapter serving (no trained adapters can be
 * downloaded here). Unlike a freshly initialised adapter, B is not zero, so each adapter changes the model's output.
 * Deterministic for a seed.
 */
public final class RandomAdapters {

    private RandomAdapters() {
    }

    /**
     * Writes {@code adapter_config.json} and {@code adapter_model.safetensors} into {@code dir} (created if needed):
     * rank {@code rank}, alpha {@code 2 * rank}, targeting every projection, A ~ N(0, 1/in), B ~ N(0, std^2).
     */
    public static Path write(Path dir, ModelConfig base, int rank, double std, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(seed);
        SafeTensorsWriter w = new SafeTensorsWriter(Map.of("format", "pt"));
        for (int l = 0; l < base.numHiddenLayers(); l++) {
            for (Projection p : Projection.values()) {
                int in = p.inFeatures(base);
                int out = p.outFeatures(base);
                String prefix = "base_model.model.model.layers." + l + "." + p.path();
                w.addF32(prefix + ".lora_A.weight", new long[] {rank, in}, gaussian(rank * in, 1 / Math.sqrt(in), random));
                w.addF32(prefix + ".lora_B.weight", new long[] {out, rank}, gaussian(out * rank, std, random));
            }
        }
        w.write(dir.resolve("adapter_model.safetensors"));
        String config = """
                {"peft_type": "LORA", "r": %d, "lora_alpha": %d, "lora_dropout": 0.0, "bias": "none",
                 "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
                 "task_type": "CAUSAL_LM"}
                """.formatted(rank, 2 * rank);
        Files.writeString(dir.resolve("adapter_config.json"), config);
        return dir;
    }

    private static float[] gaussian(int n, double std, SplittableRandom random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
        return v;
    }
}
