package dev.orchard.core.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.SafeTensors;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.Projection;
import dev.orchard.core.model.RopeLayouts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA adapter in Hugging Face PEFT's layout ({@code adapter_config.json} + {@code adapter_model.safetensors}),
 * loaded to the heap as float32 and validated against a base model's shapes before anything runs.
 * Scaling is {@code lora_alpha / r}, or {@code lora_alpha / sqrt(r)} with rsLoRA.
 */
public final class LoraAdapter {

    private static final Pattern KEY = Pattern.compile(
            "(?:base_model\\.model\\.)?model\\.layers\\.(\\d+)\\.(self_attn|mlp)\\.(\\w+)\\.lora_([AB])(?:\\.[\\w-]+)?\\.weight");

    private final String name;
    private final int rank;
    private final double alpha;
    private final boolean rsLora;
    private final Set<Projection> targets;
    private final LoraDelta[][] deltas;
    private final long byteSize;

    public LoraAdapter(String name, int rank, double alpha, boolean rsLora, Set<Projection> targets,
                       LoraDelta[][] deltas) {
        this.name = name;
        this.rank = rank;
        this.alpha = alpha;
        this.rsLora = rsLora;
        this.targets = Set.copyOf(targets);
        this.deltas = deltas;
        long bytes = 0;
        for (LoraDelta[] layer : deltas) {
            for (LoraDelta d : layer) {
                bytes += d == null ? 0 : d.byteSize();
            }
        }
        this.byteSize = bytes;
    }

    /** Loads the PEFT adapter in {@code dir} for a base model of shape {@code base}. */
    public static LoraAdapter load(Path dir, ModelConfig base) throws IOException {
        Path configPath = dir.resolve("adapter_config.json");
        Path weightsPath = dir.resolve("adapter_model.safetensors");
        if (!Files.isRegularFile(configPath)) {
            throw new FormatException("adapter " + dir + ": no adapter_config.json");
        }
        if (!Files.isRegularFile(weightsPath)) {
            throw new FormatException("adapter " + dir + ": no adapter_model.safetensors"
                    + (Files.exists(dir.resolve("adapter_model.bin")) ? " (pickle .bin adapters are not loaded; convert to safetensors)" : ""));
        }
        JsonNode c;
        try {
            c = new ObjectMapper().readTree(Files.readString(configPath));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FormatException(configPath + ": not valid JSON: " + e.getOriginalMessage());
        }
        String where = "adapter " + dir;
        String peftType = c.path("peft_type").asText("LORA");
        if (!peftType.equalsIgnoreCase("LORA")) {
            throw new FormatException(where + ": peft_type " + peftType + " is not supported (LORA is)");
        }
        if (c.path("use_dora").asBoolean(false)) {
            throw new FormatException(where + ": DoRA adapters are not supported");
        }
        if (!c.path("bias").asText("none").equals("none")) {
            throw new FormatException(where + ": bias '" + c.path("bias").asText() + "' is not supported (none is)");
        }
        if (c.path("fan_in_fan_out").asBoolean(false)) {
            throw new FormatException(where + ": fan_in_fan_out adapters (GPT-2 Conv1D) are not supported");
        }
        for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
            if (c.path(pattern).isObject() && !c.path(pattern).isEmpty()) {
                throw new FormatException(where + ": per-module " + pattern + " is not supported");
            }
        }
        int rank = c.path("r").asInt(0);
        if (rank <= 0) {
            throw new FormatException(where + ": r must be a positive integer");
        }
        double alpha = c.path("lora_alpha").asDouble(rank);
        boolean rsLora = c.path("use_rslora").asBoolean(false);
        Set<Projection> targets = targets(c.path("target_modules"), where);
        float scale = (float) (rsLora ? alpha / Math.sqrt(rank) : alpha / rank);

        LoraDelta[][] deltas = new LoraDelta[base.numHiddenLayers()][Projection.values().length];
        float[][][] aw = new float[base.numHiddenLayers()][Projection.values().length][];
        float[][][] bw = new float[base.numHiddenLayers()][Projection.values().length][];
        try (SafeTensors st = SafeTensors.open(weightsPath)) {
            for (SafeTensors.Tensor t : st.tensors().values()) {
                Matcher m = KEY.matcher(t.name());
                if (!m.matches()) {
                    throw new FormatException(where + ": unexpected tensor " + t.name()
                            + " (expected base_model.model.model.layers.N.<self_attn|mlp>.<module>.lora_<A|B>.weight)");
                }
                int layer = Integer.parseInt(m.group(1));
                Projection p = Projection.byModuleName(m.group(3)).filter(x -> x.path().startsWith(m.group(2)))
                        .orElseThrow(() -> new FormatException(where + ": tensor " + t.name()
                                + " targets an unsupported module " + m.group(3)));
                if (layer >= base.numHiddenLayers()) {
                    throw new FormatException(where + ": tensor " + t.name() + " is for layer " + layer
                            + " but the base model has " + base.numHiddenLayers() + " layers");
                }
                if (!targets.contains(p)) {
                    throw new FormatException(where + ": tensor " + t.name() + " is for " + p.moduleName()
                            + ", which target_modules does not list");
                }
                boolean isA = m.group(4).equals("A");
                long[] expected = isA ? new long[] {rank, p.inFeatures(base)} : new long[] {p.outFeatures(base), rank};
                if (!Arrays.equals(t.shape(), expected)) {
                    throw new FormatException(where + ": tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                            + " but the base model needs " + Arrays.toString(expected)
                            + " (adapter trained for a different base?)");
                }
                (isA ? aw : bw)[layer][p.ordinal()] = t.toFloatArray();
            }
        }
        int found = 0;
        for (int l = 0; l < deltas.length; l++) {
            for (Projection p : Projection.values()) {
                float[] a = aw[l][p.ordinal()];
                float[] b = bw[l][p.ordinal()];
                if ((a == null) != (b == null)) {
                    throw new FormatException(where + ": layer " + l + " " + p.moduleName() + " has lora_"
                            + (a == null ? "B" : "A") + " but not lora_" + (a == null ? "A" : "B"));
                }
                if (a != null) {
                    deltas[l][p.ordinal()] = new LoraDelta(rank, p.inFeatures(base), p.outFeatures(base), scale, a, b);
                    found++;
                }
            }
        }
        if (found == 0) {
            throw new FormatException(where + ": adapter_model.safetensors holds no LoRA weights");
        }
        return new LoraAdapter(dir.getFileName().toString(), rank, alpha, rsLora, targets, deltas);
    }

    private static Set<Projection> targets(JsonNode node, String where) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else if (node.isTextual()) {
            String s = node.asText();
            if (s.equals("all-linear")) {
                return EnumSet.allOf(Projection.class);
            }
            // PEFT also accepts a regex over full module names; match it against ours.
            Pattern regex = Pattern.compile(s);
            Set<Projection> matched = EnumSet.noneOf(Projection.class);
            for (Projection p : Projection.values()) {
                if (regex.matcher("model.layers.0." + p.path()).matches() || regex.matcher(p.moduleName()).matches()) {
                    matched.add(p);
                }
            }
            if (matched.isEmpty()) {
                throw new FormatException(where + ": target_modules regex '" + s + "' matches no supported module");
            }
            return matched;
        } else {
            throw new FormatException(where + ": adapter_config.json has no target_modules");
        }
        Set<Projection> targets = EnumSet.noneOf(Projection.class);
        Set<String> unsupported = new HashSet<>();
        for (String n : names) {
            Projection.byModuleName(n).ifPresentOrElse(targets::add, () -> unsupported.add(n));
        }
        if (!unsupported.isEmpty()) {
            throw new FormatException(where + ": unsupported target_modules " + unsupported
                    + " (supported: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)");
        }
        return targets;
    }

    /**
     * This adapter for a base whose q/k rows are in GGUF's adjacent-pair RoPE order: PEFT files hold B factors in
     * Hugging Face order, so the rows of the q and k projections' B are permuted to match the base.
     */
    public LoraAdapter forAdjacentPairRope(ModelConfig base) {
        LoraDelta[][] permuted = new LoraDelta[deltas.length][];
        for (int l = 0; l < deltas.length; l++) {
            permuted[l] = deltas[l].clone();
            for (Projection p : new Projection[] {Projection.Q_PROJ, Projection.K_PROJ}) {
                LoraDelta d = permuted[l][p.ordinal()];
                if (d != null) {
                    int heads = p == Projection.Q_PROJ ? base.numAttentionHeads() : base.numKeyValueHeads();
                    permuted[l][p.ordinal()] = new LoraDelta(d.rank(), d.in(), d.out(), d.scale(), d.a(),
                            RopeLayouts.halvesToPairs(d.b(), heads, base.headDim(), d.rank()));
                }
            }
        }
        return new LoraAdapter(name, rank, alpha, rsLora, targets, permuted);
    }

    public String name() {
        return name;
    }

    public int rank() {
        return rank;
    }

    public double alpha() {
        return alpha;
    }

    public boolean rsLora() {
        return rsLora;
    }

    public Set<Projection> targets() {
        return targets;
    }

    /** The delta for one projection of one layer, or null if the adapter leaves it alone. */
    public LoraDelta delta(int layer, Projection p) {
        return layer < deltas.length ? deltas[layer][p.ordinal()] : null;
    }

    public int layerCount() {
        return deltas.length;
    }

    /** Heap bytes held by the adapter's weights. */
    public long byteSize() {
        return byteSize;
    }
}
