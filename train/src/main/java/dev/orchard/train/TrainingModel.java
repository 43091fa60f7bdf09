package dev.orchard.train;

import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.format.SafeTensorsWriter;
import dev.orchard.core.model.Layer;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.Projection;
import dev.orchard.core.model.RopeLayouts;
import dev.orchard.core.model.Transformer;
import dev.orchard.core.quant.WeightMatrix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The training graph of a Llama-family decoder, the same math as core's {@code Session} written with tape ops:
 * per layer {@code x += o(attn(rope(qknorm(q(norm(x)))), rope(qknorm(k(norm(x)))), v(norm(x))))}, then
 * {@code x += down(silu(gate(norm(x))) * up(norm(x)))}; {@code logits = lmHead(norm(x))}.
 *
 * <p>Weights are either dense float32 {@link Parameter}s named as in a Hugging Face checkpoint (pre-training), or a
 * frozen base whose matrices stay the loaded {@link WeightMatrix} views in whatever encoding they have, plus
 * trainable LoRA factors (fine-tuning).
 */
final class TrainingModel {

    /** A projection's weight: dense or frozen, with an optional LoRA side path {@code scale * B (A x)}. */
    static final class Linear {
        final Parameter dense;
        final WeightMatrix frozen;
        Parameter loraA;
        Parameter loraB;
        float loraScale;

        Linear(Parameter dense, WeightMatrix frozen) {
            this.dense = dense;
            this.frozen = frozen;
        }
    }

    record LayerWeights(Parameter inputNorm, Parameter postNorm, Parameter qNorm, Parameter kNorm, Linear[] proj) {
    }

    final ModelConfig config;
    final boolean adjacentPairRope;
    final Parameter embed;
    final WeightMatrix frozenEmbed;
    final Parameter lmHead;
    final WeightMatrix frozenLmHead;
    final LayerWeights[] layers;
    final Parameter norm;
    private RopeTable rope;

    // LoRA settings once added
    int loraRank;
    double loraAlpha;
    boolean rsLora;
    Set<Projection> loraTargets = Set.of();

    private TrainingModel(ModelConfig config, boolean adjacentPairRope, Parameter embed, WeightMatrix frozenEmbed,
                          Parameter lmHead, WeightMatrix frozenLmHead, LayerWeights[] layers, Parameter norm) {
        this.config = config;
        this.adjacentPairRope = adjacentPairRope;
        this.embed = embed;
        this.frozenEmbed = frozenEmbed;
        this.lmHead = lmHead;
        this.frozenLmHead = frozenLmHead;
        this.layers = layers;
        this.norm = norm;
    }

    /**
     * A freshly initialised model: matrices {@code N(0, 0.02^2)}, the two projections that write into the residual
     * stream (o_proj, down_proj) scaled down by {@code sqrt(2 * layers)} as GPT-2 and llama2.c do, norm gains 1.
     */
    static TrainingModel initialize(ModelConfig c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double std = 0.02;
        double residualStd = std / Math.sqrt(2.0 * c.numHiddenLayers());
        Parameter embed = matrix("model.embed_tokens.weight", c.vocabSize(), c.hiddenSize(), std, rng);
        Parameter head = c.tieWordEmbeddings() ? embed : matrix("lm_head.weight", c.vocabSize(), c.hiddenSize(), std, rng);
        LayerWeights[] layers = new LayerWeights[c.numHiddenLayers()];
        for (int l = 0; l < layers.length; l++) {
            String prefix = "model.layers." + l + ".";
            Linear[] proj = new Linear[Projection.values().length];
            for (Projection p : Projection.values()) {
                double s = p == Projection.O_PROJ || p == Projection.DOWN_PROJ ? residualStd : std;
                proj[p.ordinal()] = new Linear(matrix(p.weightName(l), p.outFeatures(c), p.inFeatures(c), s, rng), null);
            }
            layers[l] = new LayerWeights(ones(prefix + "input_layernorm.weight", c.hiddenSize(), true),
                    ones(prefix + "post_attention_layernorm.weight", c.hiddenSize(), true),
                    c.qkNorm() ? ones(prefix + "self_attn.q_norm.weight", c.headDim(), true) : null,
                    c.qkNorm() ? ones(prefix + "self_attn.k_norm.weight", c.headDim(), true) : null, proj);
        }
        return new TrainingModel(c, false, embed, null, head, null, layers, ones("model.norm.weight", c.hiddenSize(), true));
    }

    /**
     * Wraps a loaded model. {@code trainable}: every weight becomes a dense float32 parameter (continued
     * pre-training, resuming); otherwise the matrices stay frozen views in their encoding and the norms frozen
     * copies, ready for {@link #addLora}.
     */
    static TrainingModel of(Transformer t, boolean trainable) {
        ModelConfig c = t.config();
        Parameter embed = null;
        Parameter head = null;
        WeightMatrix fEmbed = null;
        WeightMatrix fHead = null;
        if (trainable) {
            embed = dense("model.embed_tokens.weight", t.embedTokens());
            head = t.tied() ? embed : dense("lm_head.weight", t.lmHead());
        } else {
            fEmbed = t.embedTokens();
            fHead = t.lmHead();
        }
        LayerWeights[] layers = new LayerWeights[t.layerCount()];
        for (int l = 0; l < layers.length; l++) {
            Layer w = t.layer(l);
            String prefix = "model.layers." + l + ".";
            Linear[] proj = new Linear[Projection.values().length];
            for (Projection p : Projection.values()) {
                WeightMatrix m = w.projection(p);
                proj[p.ordinal()] = trainable ? new Linear(dense(p.weightName(l), m), null) : new Linear(null, m);
            }
            layers[l] = new LayerWeights(vector(prefix + "input_layernorm.weight", w.inputLayernorm(), trainable),
                    vector(prefix + "post_attention_layernorm.weight", w.postAttentionLayernorm(), trainable),
                    w.hasQkNorm() ? vector(prefix + "self_attn.q_norm.weight", w.qNorm(), trainable) : null,
                    w.hasQkNorm() ? vector(prefix + "self_attn.k_norm.weight", w.kNorm(), trainable) : null, proj);
        }
        return new TrainingModel(c, t.adjacentPairRope(), embed, fEmbed, head, fHead, layers,
                vector("model.norm.weight", t.norm(), trainable));
    }

    private static Parameter matrix(String name, int rows, int cols, double std, SplittableRandom rng) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * std);
        }
        return new Parameter(name, rows, cols, w, true, true);
    }

    private static Parameter ones(String name, int n, boolean trainable) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return new Parameter(name, 1, n, w, trainable, false);
    }

    private static Parameter dense(String name, WeightMatrix m) {
        return new Parameter(name, m.rows(), m.cols(), m.dequantize(), true, true);
    }

    private static Parameter vector(String name, float[] values, boolean trainable) {
        return new Parameter(name, 1, values.length, values.clone(), trainable, false);
    }

    /**
     * Adds trainable LoRA factors to {@code targets} in every layer, initialised as PEFT does: A uniform in
     * {@code ±1/sqrt(in)} (kaiming-uniform with a = sqrt(5)), B zero, so the model starts equal to the base.
     */
    void addLora(int rank, double alpha, boolean rsLora, Set<Projection> targets, long seed) {
        if (rank <= 0) {
            throw new IllegalArgumentException("LoRA rank must be positive, got " + rank);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float scale = (float) (rsLora ? alpha / Math.sqrt(rank) : alpha / rank);
        for (int l = 0; l < layers.length; l++) {
            for (Projection p : Projection.values()) {
                if (!targets.contains(p)) {
                    continue;
                }
                Linear lin = layers[l].proj[p.ordinal()];
                int in = p.inFeatures(config);
                int out = p.outFeatures(config);
                float[] a = new float[rank * in];
                double bound = 1.0 / Math.sqrt(in);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                }
                String base = "base_model.model.model.layers." + l + "." + p.path();
                lin.loraA = new Parameter(base + ".lora_A.weight", rank, in, a, true, true);
                lin.loraB = new Parameter(base + ".lora_B.weight", out, rank, new float[out * rank], true, true);
                lin.loraScale = scale;
            }
        }
        this.loraRank = rank;
        this.loraAlpha = alpha;
        this.rsLora = rsLora;
        this.loraTargets = Set.copyOf(targets);
    }

    /** Overwrites every parameter with the same-named tensor of a safetensors file (resuming from a checkpoint). */
    void loadWeights(Path file) throws IOException {
        try (dev.orchard.core.format.SafeTensors st = dev.orchard.core.format.SafeTensors.open(file)) {
            for (Parameter p : allParameters()) {
                dev.orchard.core.format.SafeTensors.Tensor t = st.tensors().get(p.name());
                if (t == null || t.elements() != p.size()) {
                    throw new dev.orchard.core.format.FormatException(file + ": tensor " + p.name()
                            + (t == null ? " is missing" : " has " + t.elements() + " elements, expected " + p.size()));
                }
                System.arraycopy(t.toFloatArray(), 0, p.data(), 0, p.size());
            }
        }
    }

    /** Takes the factors of an existing adapter as the starting point (continued training, round-trip tests). */
    void loadLora(dev.orchard.core.adapter.LoraAdapter adapter) {
        addLora(adapter.rank(), adapter.alpha(), adapter.rsLora(), adapter.targets(), 0);
        for (int l = 0; l < layers.length; l++) {
            for (Projection p : adapter.targets()) {
                dev.orchard.core.adapter.LoraDelta d = adapter.delta(l, p);
                Linear lin = layers[l].proj[p.ordinal()];
                if (d == null) {
                    throw new IllegalArgumentException("adapter " + adapter.name() + " lacks layer " + l + " " + p.moduleName());
                }
                System.arraycopy(d.a(), 0, lin.loraA.data(), 0, lin.loraA.size());
                System.arraycopy(d.b(), 0, lin.loraB.data(), 0, lin.loraB.size());
            }
        }
    }

    /** Every parameter, each once (a tied head is the embedding), in checkpoint order. */
    List<Parameter> allParameters() {
        List<Parameter> all = new ArrayList<>();
        if (embed != null) {
            all.add(embed);
        }
        for (LayerWeights lw : layers) {
            all.add(lw.inputNorm);
            for (Projection p : Projection.values()) {
                Linear lin = lw.proj[p.ordinal()];
                if (p == Projection.O_PROJ) {
                    all.add(lw.postNorm);
                }
                if (lin.dense != null) {
                    all.add(lin.dense);
                }
                if (lin.loraA != null) {
                    all.add(lin.loraA);
                    all.add(lin.loraB);
                }
            }
            if (lw.qNorm != null) {
                all.add(lw.qNorm);
                all.add(lw.kNorm);
            }
        }
        all.add(norm);
        if (lmHead != null && lmHead != embed) {
            all.add(lmHead);
        }
        return all;
    }

    List<Parameter> trainableParameters() {
        return allParameters().stream().filter(Parameter::trainable).toList();
    }

    long trainableCount() {
        return trainableParameters().stream().mapToLong(Parameter::size).sum();
    }

    private RopeTable rope(int n) {
        RopeTable r = rope;
        if (r == null || r.maxPositions < n) {
            r = new RopeTable(config, Math.max(n, r == null ? 0 : r.maxPositions), adjacentPairRope);
            rope = r;
        }
        return r;
    }

    /** Logits ({@code tokens.length x vocab}) for one sequence starting at position 0, recorded on {@code tape}. */
    Tensor forward(Tape tape, Grads g, int[] tokens) {
        ModelConfig c = config;
        float eps = (float) c.rmsNormEps();
        RopeTable table = rope(tokens.length);
        Tensor x = embed != null ? Ops.embedding(tape, g.bind(embed), tokens) : Ops.embedding(frozenEmbed, tokens);
        for (LayerWeights lw : layers) {
            Tensor h = Ops.rmsNorm(tape, x, g.bind(lw.inputNorm), eps);
            Tensor q = linear(tape, g, lw.proj[Projection.Q_PROJ.ordinal()], h);
            Tensor k = linear(tape, g, lw.proj[Projection.K_PROJ.ordinal()], h);
            Tensor v = linear(tape, g, lw.proj[Projection.V_PROJ.ordinal()], h);
            if (lw.qNorm != null) {
                q = Ops.rmsNorm(tape, q, g.bind(lw.qNorm), eps);
                k = Ops.rmsNorm(tape, k, g.bind(lw.kNorm), eps);
            }
            q = Ops.rope(tape, q, c.numAttentionHeads(), table);
            k = Ops.rope(tape, k, c.numKeyValueHeads(), table);
            Tensor att = Attention.forward(tape, q, k, v, c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim());
            x = Ops.add(tape, x, linear(tape, g, lw.proj[Projection.O_PROJ.ordinal()], att));
            Tensor h2 = Ops.rmsNorm(tape, x, g.bind(lw.postNorm), eps);
            Tensor gate = linear(tape, g, lw.proj[Projection.GATE_PROJ.ordinal()], h2);
            Tensor up = linear(tape, g, lw.proj[Projection.UP_PROJ.ordinal()], h2);
            x = Ops.add(tape, x, linear(tape, g, lw.proj[Projection.DOWN_PROJ.ordinal()], Ops.swiglu(tape, gate, up)));
        }
        Tensor h = Ops.rmsNorm(tape, x, g.bind(norm), eps);
        return lmHead != null ? Ops.linear(tape, h, g.bind(lmHead)) : Ops.linear(tape, h, frozenLmHead);
    }

    private static Tensor linear(Tape tape, Grads g, Linear lin, Tensor x) {
        Tensor y = lin.dense != null ? Ops.linear(tape, x, g.bind(lin.dense)) : Ops.linear(tape, x, lin.frozen);
        if (lin.loraA == null) {
            return y;
        }
        Tensor low = Ops.linear(tape, Ops.linear(tape, x, g.bind(lin.loraA)), g.bind(lin.loraB));
        return Ops.axpby(tape, 1f, y, lin.loraScale, low);
    }

    // ---- saving -------------------------------------------------------------------------------------------

    /** Writes {@code config.json}, {@code generation_config.json} and {@code model.safetensors} (F32) into {@code dir}. */
    void saveCheckpoint(Path dir, Map<String, String> metadata) throws IOException {
        if (embed == null) {
            throw new IllegalStateException("a frozen base is not saved by the trainer; save the adapter instead");
        }
        SafeTensorsWriter w = new SafeTensorsWriter(metadata);
        for (Parameter p : allParameters()) {
            w.addF32(p.name(), p.shape(), p.data());
        }
        w.write(dir.resolve("model.safetensors"));
        ObjectMapper json = new ObjectMapper();
        AtomicFiles.writeString(dir.resolve("config.json"),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(config.toJson()));
        ObjectNode gen = json.createObjectNode();
        if (config.bosTokenId() >= 0) {
            gen.put("bos_token_id", config.bosTokenId());
        }
        if (!config.eosTokenIds().isEmpty()) {
            gen.put("eos_token_id", config.eosTokenIds().get(0));
        }
        AtomicFiles.writeString(dir.resolve("generation_config.json"),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(gen));
    }

    /** Writes the LoRA factors in PEFT's layout: {@code adapter_config.json} + {@code adapter_model.safetensors}. */
    void saveAdapter(Path dir, String baseModel) throws IOException {
        if (loraRank == 0) {
            throw new IllegalStateException("the model has no LoRA adapter");
        }
        SafeTensorsWriter w = new SafeTensorsWriter(Map.of("format", "pt"));
        for (Parameter p : allParameters()) {
            if (p.name().contains(".lora_")) {
                float[] values = p.data();
                // PEFT files are in Hugging Face row order; a GGUF llama base has its q/k rows (and so the q/k
                // B factors trained on it) in adjacent-pair order: store them back in HF order.
                boolean qk = p.name().contains(".q_proj.lora_B") || p.name().contains(".k_proj.lora_B");
                if (adjacentPairRope && qk) {
                    int heads = p.name().contains(".q_proj.") ? config.numAttentionHeads() : config.numKeyValueHeads();
                    values = RopeLayouts.pairsToHalves(values, heads, config.headDim(), loraRank);
                }
                w.addF32(p.name(), p.shape(), values);
            }
        }
        w.write(dir.resolve("adapter_model.safetensors"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.put("peft_type", "LORA");
        c.put("task_type", "CAUSAL_LM");
        c.put("r", loraRank);
        c.put("lora_alpha", loraAlpha);
        c.put("lora_dropout", 0.0);
        c.put("use_rslora", rsLora);
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        if (baseModel != null) {
            c.put("base_model_name_or_path", baseModel);
        }
        var targets = c.putArray("target_modules");
        for (Projection p : Projection.values()) {
            if (loraTargets.contains(p)) {
                targets.add(p.moduleName());
            }
        }
        AtomicFiles.writeString(dir.resolve("adapter_config.json"),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(c));
    }
}
