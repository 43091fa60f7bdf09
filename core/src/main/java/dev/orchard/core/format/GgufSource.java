package dev.orchard.core.format;

import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;

import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tensors of a GGUF file under Hugging Face names: {@code blk.3.attn_q.weight} is served as
 * {@code model.layers.3.self_attn.q_proj.weight}, and so on. GGUF's dims are innermost first, so a
 * {@code [cols, rows]} tensor is a {@code rows x cols} matrix.
 */
public final class GgufSource implements TensorSource {

    private static final Map<String, String> GLOBAL = Map.of(
            "token_embd.weight", "model.embed_tokens.weight",
            "output_norm.weight", "model.norm.weight",
            "output.weight", "lm_head.weight");
    private static final Map<String, String> PER_LAYER = Map.ofEntries(
            Map.entry("attn_norm.weight", "input_layernorm.weight"),
            Map.entry("attn_q.weight", "self_attn.q_proj.weight"),
            Map.entry("attn_k.weight", "self_attn.k_proj.weight"),
            Map.entry("attn_v.weight", "self_attn.v_proj.weight"),
            Map.entry("attn_output.weight", "self_attn.o_proj.weight"),
            Map.entry("attn_q_norm.weight", "self_attn.q_norm.weight"),
            Map.entry("attn_k_norm.weight", "self_attn.k_norm.weight"),
            Map.entry("ffn_norm.weight", "post_attention_layernorm.weight"),
            Map.entry("ffn_gate.weight", "mlp.gate_proj.weight"),
            Map.entry("ffn_up.weight", "mlp.up_proj.weight"),
            Map.entry("ffn_down.weight", "mlp.down_proj.weight"));
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(.+)");

    private final GgufFile gguf;
    private final Map<String, GgufFile.Tensor> byHfName = new LinkedHashMap<>();

    public GgufSource(GgufFile gguf) {
        this.gguf = gguf;
        for (GgufFile.Tensor t : gguf.tensors().values()) {
            String hf = hfName(t.name());
            if (hf != null) {
                byHfName.put(hf, t);
            }
        }
    }

    /** The Hugging Face name of a GGUF tensor, or null for tensors the model does not use (e.g. rope_freqs). */
    static String hfName(String ggufName) {
        if (GLOBAL.containsKey(ggufName)) {
            return GLOBAL.get(ggufName);
        }
        Matcher m = BLOCK.matcher(ggufName);
        if (m.matches() && PER_LAYER.containsKey(m.group(2))) {
            return "model.layers." + m.group(1) + "." + PER_LAYER.get(m.group(2));
        }
        return null;
    }

    public GgufFile file() {
        return gguf;
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (GgufFile.Tensor t : gguf.tensors().values()) {
            long[] shape = t.dims().clone();
            reverse(shape);
            out.put(t.name(), t.typeName() + " " + Arrays.toString(shape));
        }
        return out;
    }

    private static void reverse(long[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            long tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    @Override
    public boolean has(String name) {
        return byHfName.containsKey(name);
    }

    private GgufFile.Tensor tensor(String name) {
        GgufFile.Tensor t = byHfName.get(name);
        if (t == null) {
            throw new FormatException("GGUF " + gguf.path() + ": missing tensor for " + name);
        }
        return t;
    }

    private Encoding encodingOf(GgufFile.Tensor t) {
        if (t.type() == null || t.type().encoding().isEmpty()) {
            throw new FormatException("GGUF " + gguf.path() + ": tensor " + t.name() + " has type " + t.typeName()
                    + ", which Orchard does not support (supported: F32, F16, BF16, Q8_0, Q4_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)");
        }
        return t.type().encoding().get();
    }

    @Override
    public WeightMatrix matrix(String name, int rows, int cols) {
        GgufFile.Tensor t = tensor(name);
        if (t.dims().length != 2 || t.dims()[0] != cols || t.dims()[1] != rows) {
            long[] shape = t.dims().clone();
            reverse(shape);
            throw new FormatException("GGUF " + gguf.path() + ": tensor " + t.name() + " has shape "
                    + Arrays.toString(shape) + ", expected [" + rows + ", " + cols + "] from the metadata");
        }
        return WeightMatrices.wrap(encodingOf(t), t.data(), rows, cols);
    }

    @Override
    public float[] vector(String name, int length) {
        GgufFile.Tensor t = tensor(name);
        if (t.elements() != length) {
            throw new FormatException("GGUF " + gguf.path() + ": tensor " + t.name() + " has " + t.elements()
                    + " elements, expected " + length);
        }
        return switch (encodingOf(t)) {
            case F32 -> t.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            default -> WeightMatrices.wrap(encodingOf(t), t.data(), 1, length).dequantize();
        };
    }

    @Override
    public boolean adjacentPairRope() {
        Object arch = gguf.metadata().get("general.architecture");
        // llama.cpp's converter permutes q/k rows of llama-architecture models for its adjacent-pair ("normal")
        // RoPE; qwen2/qwen3 use NeoX rotation (halves) and are stored unpermuted.
        return !"qwen2".equals(arch) && !"qwen3".equals(arch);
    }

    @Override
    public long totalBytes() {
        return gguf.tensors().values().stream().mapToLong(t -> t.data() == null ? 0 : t.data().byteSize()).sum();
    }

    @Override
    public void close() {
        gguf.close();
    }
}
