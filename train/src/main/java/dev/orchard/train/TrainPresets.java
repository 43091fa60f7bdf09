package dev.orchard.train;

import dev.orchard.core.model.ModelConfig;

import java.util.List;

/**
 * Architectures for training from scratch (the vocabulary and special tokens are the tokenizer's), besides core's
 * presets. {@code llama2c-260k} is llama2.c's smallest TinyStories model; {@code orchard-stories} the shipped
 * story model: the on-device profile's architecture (GQA with 3 query heads per KV head, QK-norm, tied embeddings,
 * SwiGLU) scaled to a few hours of training on 2 cores.
 */
public final class TrainPresets {

    private TrainPresets() {
    }

    public static List<String> names() {
        return List.of("llama2c-260k", "orchard-stories", "tiny");
    }

    public static ModelConfig get(String name) {
        return switch (name) {
            // dim 64, 5 layers, 8 heads, 4 KV heads, FFN 172, context 512, tied embeddings (llama2.c's stories260K)
            case "llama2c-260k" -> new ModelConfig(64, 172, 8, 4, 5, 8, 1e-5, 10000, null, 512, true, 512, false, 1, List.of(2));
            // hidden 192, 6 layers, 6 query / 2 KV heads of 32, FFN 512, QK-norm, tied; context 256
            case "orchard-stories" -> new ModelConfig(192, 512, 6, 2, 6, 32, 1e-5, 10000, null, 2048, true, 512, true, 1, List.of(2));
            default -> {
                if (ModelConfig.presetNames().contains(name)) {
                    yield ModelConfig.preset(name);
                }
                throw new IllegalArgumentException("unknown architecture preset '" + name + "' (known: "
                        + String.join(", ", names()) + ", " + String.join(", ", ModelConfig.presetNames()) + ")");
            }
        };
    }
}
