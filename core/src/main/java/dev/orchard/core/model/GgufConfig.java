package dev.orchard.core.model;

import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.GgufFile;

import java.util.List;
import java.util.Map;

/** Reads a {@link ModelConfig} from GGUF metadata ({@code <arch>.embedding_length} and friends). */
final class GgufConfig {

    private GgufConfig() {
    }

    static ModelConfig read(GgufFile gguf) {
        Map<String, Object> m = gguf.metadata();
        Object archValue = m.get("general.architecture");
        if (!(archValue instanceof String arch)) {
            throw new FormatException("GGUF " + gguf.path() + ": no general.architecture");
        }
        if (!List.of("llama", "qwen2", "qwen3", "mistral", "orchard").contains(arch)) {
            throw new FormatException("GGUF " + gguf.path() + ": architecture '" + arch
                    + "' is not supported (llama, mistral, qwen2, qwen3 are)");
        }
        if (gguf.tensors().containsKey("rope_freqs.weight")) {
            throw new FormatException("GGUF " + gguf.path() + ": per-dimension RoPE frequency factors (rope_freqs.weight, "
                    + "Llama 3.1 scaling) are not supported yet");
        }
        int hidden = intKey(gguf, arch + ".embedding_length");
        int heads = intKey(gguf, arch + ".attention.head_count");
        int kvHeads = m.containsKey(arch + ".attention.head_count_kv") ? intKey(gguf, arch + ".attention.head_count_kv") : heads;
        int headDim = m.containsKey(arch + ".attention.key_length") ? intKey(gguf, arch + ".attention.key_length") : hidden / heads;
        GgufFile.Tensor embd = gguf.tensor("token_embd.weight");
        int vocab = (int) embd.dims()[1];
        double eps = m.get(arch + ".attention.layer_norm_rms_epsilon") instanceof Double d ? shortestDecimal(d) : 1e-5;
        double theta = m.get(arch + ".rope.freq_base") instanceof Double d ? shortestDecimal(d) : 10000;
        int context = m.containsKey(arch + ".context_length") ? intKey(gguf, arch + ".context_length") : 2048;
        boolean tied = !gguf.tensors().containsKey("output.weight");
        boolean qkNorm = gguf.tensors().containsKey("blk.0.attn_q_norm.weight");
        int bos = m.get("tokenizer.ggml.bos_token_id") instanceof Long l ? l.intValue() : -1;
        List<Integer> eos = m.get("tokenizer.ggml.eos_token_id") instanceof Long l ? List.of(l.intValue()) : List.of();
        try {
            return new ModelConfig(hidden, intKey(gguf, arch + ".feed_forward_length"), heads, kvHeads,
                    intKey(gguf, arch + ".block_count"), headDim, eps, theta, null, vocab, tied, context, qkNorm, bos, eos);
        } catch (IllegalArgumentException e) {
            throw new FormatException("GGUF " + gguf.path() + ": inconsistent metadata: " + e.getMessage());
        }
    }

    /**
     * GGUF stores these as float32: 1e-5 reads back as 9.99999974e-6. The shortest decimal that rounds to the same
     * float is what the Hugging Face config said, so a GGUF -> Hugging Face conversion writes config.json as it was.
     */
    private static double shortestDecimal(double fromFloat32) {
        float f = (float) fromFloat32;
        return f == fromFloat32 ? Double.parseDouble(Float.toString(f)) : fromFloat32;
    }

    private static int intKey(GgufFile gguf, String key) {
        Object v = gguf.metadata().get(key);
        if (!(v instanceof Long l) || l <= 0 || l > Integer.MAX_VALUE) {
            throw new FormatException("GGUF " + gguf.path() + ": metadata " + key + " is missing or not a positive integer"
                    + (v == null ? "" : " (" + v + ")"));
        }
        return l.intValue();
    }
}
