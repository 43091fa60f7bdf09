package dev.orchard.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.format.GgmlType;
import dev.orchard.core.format.GgufWriter;
import dev.orchard.core.format.SafeTensorsWriter;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Writes a {@link Transformer} as a Hugging Face model directory or as a GGUF file. */
public final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /**
     * Writes {@code config.json}, {@code generation_config.json} and {@code model.safetensors} (weights as
     * {@code dtype}: F32, F16 or BF16) into {@code dir}, which is replaced as a whole: the files are written to a
     * temporary sibling directory that is then renamed.
     */
    public static void saveHf(Transformer model, Path dir, Encoding dtype) throws IOException {
        if (dtype != Encoding.F32 && dtype != Encoding.F16 && dtype != Encoding.BF16) {
            throw new IllegalArgumentException("Hugging Face checkpoints hold F32, F16 or BF16 weights, not " + dtype
                    + " (write GGUF for block-quantized weights)");
        }
        if (model.adjacentPairRope()) {
            throw new IllegalArgumentException("this model's q/k rows are in GGUF's adjacent-pair RoPE order; "
                    + "writing them as a Hugging Face checkpoint would need them permuted back");
        }
        ModelConfig c = model.config();
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
            ObjectNode gen = JSON.createObjectNode();
            if (c.bosTokenId() >= 0) {
                gen.put("bos_token_id", c.bosTokenId());
            }
            if (!c.eosTokenIds().isEmpty()) {
                gen.put("eos_token_id", c.eosTokenIds().get(0));
            }
            Files.writeString(tmp.resolve("generation_config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(gen));

            SafeTensorsWriter w = new SafeTensorsWriter(Map.of("format", "pt"));
            String st = switch (dtype) {
                case F16 -> "F16";
                case BF16 -> "BF16";
                default -> "F32";
            };
            w.add("model.embed_tokens.weight", st, shape(model.embedTokens()), bytes(model.embedTokens(), dtype));
            for (int l = 0; l < model.layerCount(); l++) {
                Layer layer = model.layer(l);
                String p = "model.layers." + l + ".";
                w.addF32(p + "input_layernorm.weight", new long[] {c.hiddenSize()}, layer.inputLayernorm());
                for (Projection proj : Projection.values()) {
                    WeightMatrix m = layer.projection(proj);
                    w.add(proj.weightName(l), st, shape(m), bytes(m, dtype));
                }
                if (layer.hasQkNorm()) {
                    w.addF32(p + "self_attn.q_norm.weight", new long[] {c.headDim()}, layer.qNorm());
                    w.addF32(p + "self_attn.k_norm.weight", new long[] {c.headDim()}, layer.kNorm());
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
     * Writes a GGUF file (llama architecture) with every matrix in {@code encoding} (the embedding in Q8_0 when
     * {@code encoding} is Q4_0, as llama.cpp's quantizer does). q/k rows are permuted to GGUF's adjacent-pair
     * RoPE order. {@code extraMetadata} (e.g. the tokenizer's {@code tokenizer.ggml.*} keys) is added as is.
     */
    public static void saveGguf(Transformer model, Path file, Encoding encoding, Map<String, Object> extraMetadata)
            throws IOException {
        ModelConfig c = model.config();
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", "llama");
        w.put("general.name", file.getFileName().toString().replaceFirst("\\.gguf$", ""));
        w.put("llama.context_length", c.maxPositionEmbeddings());
        w.put("llama.embedding_length", c.hiddenSize());
        w.put("llama.feed_forward_length", c.intermediateSize());
        w.put("llama.block_count", c.numHiddenLayers());
        w.put("llama.attention.head_count", c.numAttentionHeads());
        w.put("llama.attention.head_count_kv", c.numKeyValueHeads());
        w.put("llama.attention.key_length", c.headDim());
        w.put("llama.attention.value_length", c.headDim());
        w.put("llama.rope.dimension_count", c.headDim());
        w.put("llama.attention.layer_norm_rms_epsilon", (float) c.rmsNormEps());
        w.put("llama.rope.freq_base", (float) c.ropeTheta());
        w.put("llama.vocab_size", c.vocabSize());
        if (c.ropeScaling() != null) {
            throw new IllegalArgumentException("writing llama3 RoPE scaling to GGUF (rope_freqs) is not supported");
        }
        if (c.bosTokenId() >= 0) {
            w.put("tokenizer.ggml.bos_token_id", c.bosTokenId());
        }
        if (!c.eosTokenIds().isEmpty()) {
            w.put("tokenizer.ggml.eos_token_id", c.eosTokenIds().get(0));
        }
        extraMetadata.forEach(w::put);
        Encoding embedEncoding = encoding == Encoding.Q4_0 ? Encoding.Q8_0 : encoding;
        w.add("token_embd.weight", shape(model.embedTokens()), GgmlType.of(embedEncoding), bytes(model.embedTokens(), embedEncoding));
        boolean permute = !model.adjacentPairRope();
        for (int l = 0; l < model.layerCount(); l++) {
            Layer layer = model.layer(l);
            String p = "blk." + l + ".";
            w.add(p + "attn_norm.weight", new long[] {c.hiddenSize()}, GgmlType.F32, MemorySegment.ofArray(layer.inputLayernorm().clone()));
            String[] names = {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"};
            for (Projection proj : Projection.values()) {
                WeightMatrix m = layer.projection(proj);
                if (permute && proj == Projection.Q_PROJ) {
                    m = permuteForAdjacentPairs(m, c.numAttentionHeads(), c.headDim(), encoding);
                } else if (permute && proj == Projection.K_PROJ) {
                    m = permuteForAdjacentPairs(m, c.numKeyValueHeads(), c.headDim(), encoding);
                }
                w.add(p + names[proj.ordinal()] + ".weight", shape(m), GgmlType.of(encoding), bytes(m, encoding));
            }
            if (layer.hasQkNorm()) {
                // Per-head norms act on q/k before RoPE, so they follow the same row permutation.
                w.add(p + "attn_q_norm.weight", new long[] {c.headDim()}, GgmlType.F32,
                        MemorySegment.ofArray(permute ? permuteVector(layer.qNorm()) : layer.qNorm().clone()));
                w.add(p + "attn_k_norm.weight", new long[] {c.headDim()}, GgmlType.F32,
                        MemorySegment.ofArray(permute ? permuteVector(layer.kNorm()) : layer.kNorm().clone()));
            }
            w.add(p + "ffn_norm.weight", new long[] {c.hiddenSize()}, GgmlType.F32, MemorySegment.ofArray(layer.postAttentionLayernorm().clone()));
        }
        w.add("output_norm.weight", new long[] {c.hiddenSize()}, GgmlType.F32, MemorySegment.ofArray(model.norm().clone()));
        if (!model.tied()) {
            w.add("output.weight", shape(model.lmHead()), GgmlType.of(encoding), bytes(model.lmHead(), encoding));
        }
        w.write(file);
    }

    /** Reorders each head's rows from halves to adjacent pairs (see {@link RopeLayouts}). */
    static WeightMatrix permuteForAdjacentPairs(WeightMatrix m, int heads, int headDim, Encoding encoding) {
        return WeightMatrices.encode(encoding, RopeLayouts.halvesToPairs(m.dequantize(), heads, headDim, m.cols()),
                m.rows(), m.cols());
    }

    static float[] permuteVector(float[] v) {
        return RopeLayouts.halvesToPairs(v, 1, v.length, 1);
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
