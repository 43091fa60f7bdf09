package dev.orchard.core.model;

import java.util.Optional;

/** The seven linear projections of a layer, named as Hugging Face checkpoints and PEFT's target_modules name them. */
public enum Projection {
    Q_PROJ("self_attn", "q_proj"),
    K_PROJ("self_attn", "k_proj"),
    V_PROJ("self_attn", "v_proj"),
    O_PROJ("self_attn", "o_proj"),
    GATE_PROJ("mlp", "gate_proj"),
    UP_PROJ("mlp", "up_proj"),
    DOWN_PROJ("mlp", "down_proj");

    private final String block;
    private final String module;

    Projection(String block, String module) {
        this.block = block;
        this.module = module;
    }

    /** PEFT's target-module name, e.g. {@code q_proj}. */
    public String moduleName() {
        return module;
    }

    /** Path inside a layer, e.g. {@code self_attn.q_proj}. */
    public String path() {
        return block + "." + module;
    }

    /** Hugging Face weight name in layer {@code layer}. */
    public String weightName(int layer) {
        return "model.layers." + layer + "." + path() + ".weight";
    }

    /** Output features of this projection under {@code c}. */
    public int outFeatures(ModelConfig c) {
        return switch (this) {
            case Q_PROJ -> c.qDim();
            case K_PROJ, V_PROJ -> c.kvDim();
            case O_PROJ, DOWN_PROJ -> c.hiddenSize();
            case GATE_PROJ, UP_PROJ -> c.intermediateSize();
        };
    }

    /** Input features of this projection under {@code c}. */
    public int inFeatures(ModelConfig c) {
        return switch (this) {
            case O_PROJ -> c.qDim();
            case DOWN_PROJ -> c.intermediateSize();
            default -> c.hiddenSize();
        };
    }

    public static Optional<Projection> byModuleName(String name) {
        for (Projection p : values()) {
            if (p.module.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
