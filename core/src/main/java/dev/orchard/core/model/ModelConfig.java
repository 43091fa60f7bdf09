package dev.orchard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.FormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a Llama-family decoder. Field names follow Hugging Face's LlamaConfig keys in
 * {@code config.json} (plus Orchard's {@code qk_norm}), so reading and writing a checkpoint is a lookup.
 *
 * @param headDim          per-head width; may differ from hiddenSize / numAttentionHeads (Qwen3-style)
 * @param ropeScaling      null when RoPE frequencies are unscaled
 * @param eosTokenIds      generation stops at any of these
 */
public record ModelConfig(
        int hiddenSize,
        int intermediateSize,
        int numAttentionHeads,
        int numKeyValueHeads,
        int numHiddenLayers,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int vocabSize,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        boolean qkNorm,
        int bosTokenId,
        List<Integer> eosTokenIds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        validate(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers, headDim,
                rmsNormEps, vocabSize, maxPositionEmbeddings);
    }

    private static void validate(int hidden, int ffn, int heads, int kvHeads, int layers, int headDim, double eps,
                                 int vocab, int maxPos) {
        requirePositive("hidden_size", hidden);
        requirePositive("intermediate_size", ffn);
        requirePositive("num_attention_heads", heads);
        requirePositive("num_key_value_heads", kvHeads);
        requirePositive("num_hidden_layers", layers);
        requirePositive("head_dim", headDim);
        requirePositive("vocab_size", vocab);
        requirePositive("max_position_embeddings", maxPos);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + heads
                    + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for RoPE, got " + headDim);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("rms_norm_eps must be positive, got " + eps);
        }
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public int qDim() {
        return numAttentionHeads * headDim;
    }

    public int kvDim() {
        return numKeyValueHeads * headDim;
    }

    /** Parameters, counting tied embeddings once. */
    public long parameterCount() {
        long embed = (long) vocabSize * hiddenSize;
        long attn = (long) hiddenSize * (qDim() + 2L * kvDim()) + (long) qDim() * hiddenSize;
        long ffn = 3L * hiddenSize * intermediateSize;
        long norms = 2L * hiddenSize + (qkNorm ? 2L * headDim : 0);
        return embed * (tieWordEmbeddings ? 1 : 2) + numHiddenLayers * (attn + ffn + norms) + hiddenSize;
    }

    public ModelConfig withVocabSize(int vocab) {
        return new ModelConfig(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers,
                headDim, rmsNormEps, ropeTheta, ropeScaling, vocab, tieWordEmbeddings, maxPositionEmbeddings, qkNorm,
                bosTokenId, eosTokenIds);
    }

    public ModelConfig withSpecialTokens(int bos, List<Integer> eos) {
        return new ModelConfig(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers,
                headDim, rmsNormEps, ropeTheta, ropeScaling, vocabSize, tieWordEmbeddings, maxPositionEmbeddings,
                qkNorm, bos, eos);
    }

    // ---- presets -------------------------------------------------------------------------------------------

    /** Apple's on-device profile: 26 layers, d_model 3072, 24 query / 8 KV heads of 128, FFN 8192, 49K vocab. */
    public static ModelConfig onDevice() {
        return new ModelConfig(3072, 8192, 24, 8, 26, 128, 1e-5, 500000, null, 49152, true, 4096, true, 1, List.of(2));
    }

    /** The server profile: a larger GQA shape with a 100K vocabulary. */
    public static ModelConfig server() {
        return new ModelConfig(6144, 16384, 48, 8, 48, 128, 1e-5, 500000, null, 100352, true, 8192, true, 1, List.of(2));
    }

    /** The on-device architecture scaled down to a model that runs fast on 2 cores (benchmarks, demos). */
    public static ModelConfig onDeviceSmall() {
        return new ModelConfig(768, 2048, 12, 4, 12, 64, 1e-5, 500000, null, 49152, true, 2048, true, 1, List.of(2));
    }

    /** SmolLM2-135M's shape (the benchmark reference). */
    public static ModelConfig smolLm135m() {
        return new ModelConfig(576, 1536, 9, 3, 30, 64, 1e-5, 100000, null, 49152, true, 8192, false, 1, List.of(2));
    }

    /** SmolLM2-360M's shape. */
    public static ModelConfig smolLm360m() {
        return new ModelConfig(960, 2560, 15, 5, 32, 64, 1e-5, 100000, null, 49152, true, 8192, false, 1, List.of(2));
    }

    /** A few-layer GQA model with QK-norm for tests; vocab fits the byte tokenizer. */
    public static ModelConfig tiny() {
        return new ModelConfig(64, 128, 4, 2, 2, 16, 1e-5, 10000, null, 258, true, 512, true, 256, List.of(257));
    }

    /**
     * The tiny shape as a plain Llama (no QK-norm) with room for a tokenizer with merges and chat markers: the
     * architecture llama.cpp b4747 runs, for files other tools must accept (see testdata/llamacpp).
     */
    public static ModelConfig tinyLlama() {
        return new ModelConfig(64, 128, 4, 2, 2, 16, 1e-5, 10000, null, 512, true, 512, false, 1, List.of(2));
    }

    /** Looks a preset up by name: on-device, on-device-small, server, smollm2-135m, smollm2-360m, tiny, tiny-llama. */
    public static ModelConfig preset(String name) {
        return switch (name) {
            case "on-device" -> onDevice();
            case "on-device-small" -> onDeviceSmall();
            case "server" -> server();
            case "smollm2-135m" -> smolLm135m();
            case "smollm2-360m" -> smolLm360m();
            case "tiny" -> tiny();
            case "tiny-llama" -> tinyLlama();
            default -> throw new IllegalArgumentException("unknown preset '" + name
                    + "' (known: " + String.join(", ", presetNames()) + ")");
        };
    }

    public static List<String> presetNames() {
        return List.of("on-device", "on-device-small", "server", "smollm2-135m", "smollm2-360m", "tiny", "tiny-llama");
    }

    // ---- config.json ---------------------------------------------------------------------------------------

    /** Reads a Hugging Face {@code config.json}. */
    public static ModelConfig read(Path configJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(configJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FormatException(configJson + ": not valid JSON: " + e.getOriginalMessage());
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new FormatException(configJson + ": " + e.getMessage());
        }
    }

    public static ModelConfig fromJson(JsonNode c) {
        if (c == null || !c.isObject()) {
            throw new IllegalArgumentException("config is not a JSON object");
        }
        String modelType = c.path("model_type").asText("llama");
        if (!List.of("llama", "qwen2", "qwen3", "mistral", "orchard", "smollm", "smollm2").contains(modelType)) {
            throw new IllegalArgumentException("model_type '" + modelType
                    + "' is not a Llama-family decoder Orchard runs (llama, mistral, qwen2, qwen3)");
        }
        int hidden = requiredInt(c, "hidden_size");
        int heads = requiredInt(c, "num_attention_heads");
        int kv = c.path("num_key_value_heads").asInt(heads);
        int headDim;
        if (c.hasNonNull("head_dim")) {
            headDim = c.get("head_dim").asInt();
        } else {
            if (hidden % heads != 0) {
                throw new IllegalArgumentException("hidden_size " + hidden + " is not divisible by num_attention_heads "
                        + heads + " and no head_dim is given");
            }
            headDim = hidden / heads;
        }
        RopeScaling scaling = null;
        JsonNode rs = c.path("rope_scaling");
        if (rs.isObject()) {
            String type = rs.hasNonNull("rope_type") ? rs.get("rope_type").asText() : rs.path("type").asText("");
            if (!type.equals("default")) {
                scaling = new RopeScaling(type, rs.path("factor").asDouble(0), rs.path("low_freq_factor").asDouble(0),
                        rs.path("high_freq_factor").asDouble(0), rs.path("original_max_position_embeddings").asInt(0));
            }
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode eosNode = c.path("eos_token_id");
        if (eosNode.isArray()) {
            eosNode.forEach(n -> eos.add(n.asInt()));
        } else if (eosNode.isNumber()) {
            eos.add(eosNode.asInt());
        }
        boolean qkNorm = c.path("qk_norm").asBoolean(modelType.equals("qwen3"));
        return new ModelConfig(hidden, requiredInt(c, "intermediate_size"), heads, kv,
                requiredInt(c, "num_hidden_layers"), headDim, c.path("rms_norm_eps").asDouble(1e-6),
                c.path("rope_theta").asDouble(10000), scaling, requiredInt(c, "vocab_size"),
                c.path("tie_word_embeddings").asBoolean(false), c.path("max_position_embeddings").asInt(2048),
                qkNorm, c.path("bos_token_id").asInt(-1), eos);
    }

    private static int requiredInt(JsonNode c, String key) {
        JsonNode n = c.get(key);
        if (n == null || !n.canConvertToInt()) {
            throw new IllegalArgumentException("missing or non-integer " + key);
        }
        return n.asInt();
    }

    /**
     * The config as Hugging Face {@code config.json} content: Qwen3Config keys ({@code Qwen3ForCausalLM}) for a
     * model with QK-norm, since transformers' Llama has no q/k norms and would compute another model; LlamaConfig
     * keys otherwise. Orchard's {@code qk_norm} is written in both.
     */
    public ObjectNode toJson() {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(qkNorm ? "Qwen3ForCausalLM" : "LlamaForCausalLM");
        c.put("model_type", qkNorm ? "qwen3" : "llama");
        c.put("hidden_size", hiddenSize);
        c.put("intermediate_size", intermediateSize);
        c.put("num_attention_heads", numAttentionHeads);
        c.put("num_key_value_heads", numKeyValueHeads);
        c.put("num_hidden_layers", numHiddenLayers);
        c.put("head_dim", headDim);
        c.put("hidden_act", "silu");
        c.put("rms_norm_eps", rmsNormEps);
        c.put("rope_theta", ropeTheta);
        if (ropeScaling != null) {
            ObjectNode rs = c.putObject("rope_scaling");
            rs.put("rope_type", ropeScaling.type());
            rs.put("factor", ropeScaling.factor());
            rs.put("low_freq_factor", ropeScaling.lowFreqFactor());
            rs.put("high_freq_factor", ropeScaling.highFreqFactor());
            rs.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
        } else {
            c.putNull("rope_scaling");
        }
        c.put("vocab_size", vocabSize);
        c.put("tie_word_embeddings", tieWordEmbeddings);
        c.put("max_position_embeddings", maxPositionEmbeddings);
        c.put("attention_bias", false);
        if (qkNorm) {
            c.put("use_sliding_window", false);
            c.putNull("sliding_window");
        } else {
            c.put("mlp_bias", false);
        }
        c.put("qk_norm", qkNorm);
        if (bosTokenId >= 0) {
            c.put("bos_token_id", bosTokenId);
        }
        if (eosTokenIds.size() == 1) {
            c.put("eos_token_id", eosTokenIds.get(0));
        } else if (!eosTokenIds.isEmpty()) {
            ArrayNode eos = c.putArray("eos_token_id");
            eosTokenIds.forEach(eos::add);
        }
        c.put("torch_dtype", "float32");
        return c;
    }
}
