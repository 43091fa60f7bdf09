package dev.orchard.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.GgmlType;
import dev.orchard.core.format.GgufWriter;
import dev.orchard.core.format.SafeTensorsWriter;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;
import dev.orchard.core.tokenizer.BpeTokenizer;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;
import dev.orchard.core.tokenizer.Tokenizers;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a model as a Hugging Face model directory or as a GGUF file, with everything needed to run it elsewhere:
 * weights, config, tokenizer, chat template and generation defaults. Models with QK-norm are written as Qwen3
 * ({@code Qwen3ForCausalLM}, GGUF architecture {@code qwen3}), the others as Llama, so that other tools compute the
 * same model. Outputs are written under a temporary name and renamed; an existing output is replaced only when
 * asked.
 */
public final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /**
     * What is written beside the weights. A null tokenizer writes weights only: for test fixtures and intermediate
     * files; checkpoints for people go through {@link #of(LanguageModel)}, which requires a tokenizer.
     */
    public record Extras(BpeTokenizer tokenizer, ChatTemplate chatTemplate, GenerationDefaults generation) {

        /**
         * The model's tokenizer, chat template and generation defaults.
         *
         * @throws FormatException naming what is missing when the model has no tokenizer
         */
        public static Extras of(LanguageModel model) {
            Tokenizer t = model.tokenizer();
            if (!(t instanceof BpeTokenizer bpe)) {
                throw new IllegalArgumentException("the model's tokenizer (" + t.getClass().getSimpleName()
                        + ") cannot be written as tokenizer.json or GGUF metadata");
            }
            return new Extras(bpe, model.chatTemplate().orElse(null), model.generationDefaults());
        }

        public static Extras weightsOnly() {
            return new Extras(null, null, null);
        }
    }

    /** The architecture label a config is written under: "qwen3" with QK-norm, else "llama". */
    public static String architecture(ModelConfig c) {
        return c.qkNorm() ? "qwen3" : "llama";
    }

    /** {@link #saveHf(Transformer, Path, Encoding, Extras, boolean)} with the model's tokenizer and defaults. */
    public static void saveHf(LanguageModel model, Path dir, Encoding dtype, boolean replace) throws IOException {
        saveHf(model.transformer(), dir, dtype, Extras.of(model), replace);
    }

    /** {@link #saveGguf(Transformer, Path, Encoding, Extras, boolean)} with the model's tokenizer and template. */
    public static void saveGguf(LanguageModel model, Path file, Encoding encoding, boolean replace) throws IOException {
        saveGguf(model.transformer(), file, encoding, Extras.of(model), replace);
    }

    /**
     * Writes {@code config.json}, {@code generation_config.json}, {@code model.safetensors} (weights as
     * {@code dtype}: F32, F16 or BF16) and, with a tokenizer, {@code tokenizer.json} and
     * {@code tokenizer_config.json} (with the chat template) into {@code dir}. The files are written to a temporary
     * sibling directory that is then renamed. q/k rows of a GGUF llama model are permuted back to Hugging Face's
     * order.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code dir} exists and {@code replace} is false
     */
    public static void saveHf(Transformer model, Path dir, Encoding dtype, Extras extras, boolean replace)
            throws IOException {
        if (dtype != Encoding.F32 && dtype != Encoding.F16 && dtype != Encoding.BF16) {
            throw new IllegalArgumentException("Hugging Face checkpoints hold F32, F16 or BF16 weights, not " + dtype
                    + " (write GGUF for block-quantized weights)");
        }
        refuseExisting(dir, replace);
        ModelConfig c = model.config();
        if (extras.tokenizer() != null && extras.tokenizer().vocabSize() > c.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + extras.tokenizer().vocabSize()
                    + " tokens, more than the model's vocab_size " + c.vocabSize());
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        try {
            ObjectNode config = c.toJson();
            config.put("torch_dtype", switch (dtype) {
                case F16 -> "float16";
                case BF16 -> "bfloat16";
                default -> "float32";
            });
            Files.writeString(tmp.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            GenerationDefaults gen = extras.generation() != null ? extras.generation() : GenerationDefaults.fromModelConfig(c);
            Files.writeString(tmp.resolve(GenerationDefaults.FILE), gen.toJsonText());
            if (extras.tokenizer() != null) {
                Tokenizers.save(extras.tokenizer(), tmp, extras.chatTemplate());
            }

            SafeTensorsWriter w = new SafeTensorsWriter(Map.of("format", "pt"));
            String st = switch (dtype) {
                case F16 -> "F16";
                case BF16 -> "BF16";
                default -> "F32";
            };
            boolean unpermute = model.adjacentPairRope();
            w.add("model.embed_tokens.weight", st, shape(model.embedTokens()), bytes(model.embedTokens(), dtype));
            for (int l = 0; l < model.layerCount(); l++) {
                Layer layer = model.layer(l);
                String p = "model.layers." + l + ".";
                w.addF32(p + "input_layernorm.weight", new long[] {c.hiddenSize()}, layer.inputLayernorm());
                for (Projection proj : Projection.values()) {
                    WeightMatrix m = ropeRows(layer.projection(proj), proj, c, unpermute, false, dtype);
                    w.add(proj.weightName(l), st, shape(m), bytes(m, dtype));
                }
                if (layer.hasQkNorm()) {
                    w.addF32(p + "self_attn.q_norm.weight", new long[] {c.headDim()}, ropeVector(layer.qNorm(), unpermute, false));
                    w.addF32(p + "self_attn.k_norm.weight", new long[] {c.headDim()}, ropeVector(layer.kNorm(), unpermute, false));
                }
                w.addF32(p + "post_attention_layernorm.weight", new long[] {c.hiddenSize()}, layer.postAttentionLayernorm());
            }
            w.addF32("model.norm.weight", new long[] {c.hiddenSize()}, model.norm());
            if (!model.tied()) {
                w.add("lm_head.weight", st, shape(model.lmHead()), bytes(model.lmHead(), dtype));
            }
            w.write(tmp.resolve("model.safetensors"));
            replaceDirectory(tmp, dir);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * Writes a GGUF file with every matrix in {@code encoding} (the embedding in Q8_0 when {@code encoding} is
     * Q4_0, as llama.cpp's quantizer does), architecture {@code qwen3} for QK-norm models (q/k rows in Hugging Face
     * order, as llama.cpp's converter leaves them) or {@code llama} (q/k rows permuted to its adjacent-pair RoPE
     * order), and, with a tokenizer, its {@code tokenizer.ggml.*} keys and {@code tokenizer.chat_template}.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists and {@code replace} is false
     */
    public static void saveGguf(Transformer model, Path file, Encoding encoding, Extras extras, boolean replace)
            throws IOException {
        refuseExisting(file, replace);
        ModelConfig c = model.config();
        String arch = architecture(c);
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", arch);
        w.put("general.name", file.getFileName().toString().replaceFirst("\\.gguf$", ""));
        w.put(arch + ".context_length", c.maxPositionEmbeddings());
        w.put(arch + ".embedding_length", c.hiddenSize());
        w.put(arch + ".feed_forward_length", c.intermediateSize());
        w.put(arch + ".block_count", c.numHiddenLayers());
        w.put(arch + ".attention.head_count", c.numAttentionHeads());
        w.put(arch + ".attention.head_count_kv", c.numKeyValueHeads());
        w.put(arch + ".attention.key_length", c.headDim());
        w.put(arch + ".attention.value_length", c.headDim());
        w.put(arch + ".rope.dimension_count", c.headDim());
        w.put(arch + ".attention.layer_norm_rms_epsilon", (float) c.rmsNormEps());
        w.put(arch + ".rope.freq_base", (float) c.ropeTheta());
        w.put(arch + ".vocab_size", c.vocabSize());
        if (c.ropeScaling() != null) {
            throw new IllegalArgumentException("writing llama3 RoPE scaling to GGUF (rope_freqs) is not supported");
        }
        if (extras.tokenizer() != null) {
            Tokenizers.ggufMetadata(extras.tokenizer(), c.vocabSize(), extras.chatTemplate()).forEach(w::put);
        } else {
            if (c.bosTokenId() >= 0) {
                w.put("tokenizer.ggml.bos_token_id", c.bosTokenId());
            }
            if (!c.eosTokenIds().isEmpty()) {
                w.put("tokenizer.ggml.eos_token_id", c.eosTokenIds().get(0));
            }
        }
        Encoding embedEncoding = encoding == Encoding.Q4_0 ? Encoding.Q8_0 : encoding;
        w.add("token_embd.weight", shape(model.embedTokens()), GgmlType.of(embedEncoding), bytes(model.embedTokens(), embedEncoding));
        // Source and target RoPE layouts: GGUF llama wants adjacent pairs, qwen3 and Hugging Face halves.
        boolean toPairs = arch.equals("llama") && !model.adjacentPairRope();
        boolean toHalves = !arch.equals("llama") && model.adjacentPairRope();
        for (int l = 0; l < model.layerCount(); l++) {
            Layer layer = model.layer(l);
            String p = "blk." + l + ".";
            w.add(p + "attn_norm.weight", new long[] {c.hiddenSize()}, GgmlType.F32, MemorySegment.ofArray(layer.inputLayernorm().clone()));
            String[] names = {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"};
            for (Projection proj : Projection.values()) {
                WeightMatrix m = ropeRows(layer.projection(proj), proj, c, toHalves, toPairs, encoding);
                w.add(p + names[proj.ordinal()] + ".weight", shape(m), GgmlType.of(encoding), bytes(m, encoding));
            }
            if (layer.hasQkNorm()) {
                // Per-head norms act on q/k before RoPE, so they follow the same row permutation.
                w.add(p + "attn_q_norm.weight", new long[] {c.headDim()}, GgmlType.F32,
                        MemorySegment.ofArray(ropeVector(layer.qNorm(), toHalves, toPairs)));
                w.add(p + "attn_k_norm.weight", new long[] {c.headDim()}, GgmlType.F32,
                        MemorySegment.ofArray(ropeVector(layer.kNorm(), toHalves, toPairs)));
            }
            w.add(p + "ffn_norm.weight", new long[] {c.hiddenSize()}, GgmlType.F32, MemorySegment.ofArray(layer.postAttentionLayernorm().clone()));
        }
        w.add("output_norm.weight", new long[] {c.hiddenSize()}, GgmlType.F32, MemorySegment.ofArray(model.norm().clone()));
        if (!model.tied()) {
            w.add("output.weight", shape(model.lmHead()), GgmlType.of(encoding), bytes(model.lmHead(), encoding));
        }
        w.write(file);
    }

    private static void refuseExisting(Path target, boolean replace) throws IOException {
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists; pass --force to replace it");
        }
    }

    /** A q/k projection with its rows moved between RoPE layouts (see {@link RopeLayouts}); others as they are. */
    private static WeightMatrix ropeRows(WeightMatrix m, Projection proj, ModelConfig c, boolean toHalves,
                                         boolean toPairs, Encoding encoding) {
        int heads = switch (proj) {
            case Q_PROJ -> c.numAttentionHeads();
            case K_PROJ -> c.numKeyValueHeads();
            default -> 0;
        };
        if (heads == 0 || (!toHalves && !toPairs)) {
            return m;
        }
        float[] rows = toPairs ? RopeLayouts.halvesToPairs(m.dequantize(), heads, c.headDim(), m.cols())
                : RopeLayouts.pairsToHalves(m.dequantize(), heads, c.headDim(), m.cols());
        Encoding target = m.encoding() == Encoding.F32 || m.encoding() == Encoding.F16 || m.encoding() == Encoding.BF16
                ? m.encoding() : encoding; // float rows move exactly; block-quantized ones are re-encoded once
        return WeightMatrices.encode(target, rows, m.rows(), m.cols());
    }

    private static float[] ropeVector(float[] v, boolean toHalves, boolean toPairs) {
        if (toPairs) {
            return RopeLayouts.halvesToPairs(v, 1, v.length, 1);
        }
        return toHalves ? RopeLayouts.pairsToHalves(v, 1, v.length, 1) : v.clone();
    }

    private static long[] shape(WeightMatrix m) {
        return new long[] {m.rows(), m.cols()};
    }

    /** The matrix's bytes in {@code encoding}: its own storage when it matches, else re-encoded. */
    private static MemorySegment bytes(WeightMatrix m, Encoding encoding) {
        if (m.encoding() == encoding) {
            return m.data();
        }
        return WeightMatrices.encode(encoding, m.dequantize(), m.rows(), m.cols()).data();
    }

    private static void replaceDirectory(Path tmp, Path dir) throws IOException {
        if (Files.exists(dir)) {
            Path old = dir.resolveSibling("." + dir.getFileName() + ".old");
            deleteRecursively(old);
            Files.move(dir, old);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(old);
        } else {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
