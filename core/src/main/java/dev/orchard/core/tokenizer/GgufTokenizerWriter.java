package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.GgufWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes a {@link BpeTokenizer} as GGUF {@code tokenizer.ggml.*} metadata, the keys llama.cpp's converter writes
 * and {@link GgufTokenizer} reads back: model {@code gpt2} (byte-level BPE: tokens, token types, ranked merges and the
 * llama.cpp name of the pre-tokenizer) or {@code llama} (SentencePiece-style BPE with byte fallback: tokens, scores,
 * token types), plus BOS/EOS/PAD/UNK ids and whether BOS/EOS are added.
 */
final class GgufTokenizerWriter {

    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;
    private static final int UNUSED = 5;
    private static final int BYTE = 6;
    /** llama.cpp pre-tokenizer names Orchard can describe, most specific first. */
    private static final List<String> PRE_NAMES = List.of("qwen2", "llama-bpe", "gpt-2", "smollm", "default");

    private GgufTokenizerWriter() {
    }

    /**
     * The metadata for {@code tokenizer}, its token list padded with unused {@code [PAD<i>]} tokens to the model's
     * {@code vocabSize} (llama.cpp requires one token per embedding row, as its converter pads).
     */
    static Map<String, Object> metadata(BpeTokenizer tokenizer, int vocabSize) {
        BpeTokenizer.Parts parts = tokenizer.parts();
        BpeModel model = parts.model();
        if (tokenizer.vocabSize() > vocabSize) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize()
                    + " tokens, more than the model's vocab_size " + vocabSize);
        }
        String[] tokens = new String[vocabSize];
        int[] types = new int[vocabSize];
        Arrays.fill(types, NORMAL);
        for (int id = 0; id < model.size(); id++) {
            tokens[id] = model.token(id);
            if (!model.byteLevel() && tokens[id] != null && tokens[id].matches("<0x[0-9A-F]{2}>")) {
                types[id] = BYTE;
            }
        }
        for (AddedToken t : parts.addedTokens()) {
            tokens[t.id()] = t.content();
            types[t.id()] = t.special() ? CONTROL : USER_DEFINED;
        }
        if (model.unkId() >= 0) {
            types[model.unkId()] = UNKNOWN;
        }
        for (int id = 0; id < vocabSize; id++) {
            if (tokens[id] == null) {
                tokens[id] = "[PAD" + id + "]";
                types[id] = UNUSED;
            }
        }
        Map<String, Object> md = new LinkedHashMap<>();
        if (model.byteLevel()) {
            md.put("tokenizer.ggml.model", "gpt2");
            md.put("tokenizer.ggml.pre", preName(parts.preTokenizer()));
        } else if (model.byteFallback()) {
            md.put("tokenizer.ggml.model", "llama");
        } else {
            throw new IllegalArgumentException("GGUF describes byte-level BPE (gpt2) and SentencePiece BPE with byte "
                    + "fallback (llama); this tokenizer is neither");
        }
        md.put("tokenizer.ggml.tokens", Arrays.asList(tokens));
        if (!model.byteLevel()) {
            md.put("tokenizer.ggml.scores", scores(model, vocabSize));
        }
        List<Integer> typeList = new ArrayList<>(vocabSize);
        for (int t : types) {
            typeList.add(t);
        }
        md.put("tokenizer.ggml.token_type", typeList);
        if (model.byteLevel()) {
            List<String> merges = merges(model);
            md.put("tokenizer.ggml.merges", merges.isEmpty() ? GgufWriter.EmptyArray.STRINGS : merges);
        } else {
            md.put("tokenizer.ggml.add_space_prefix", prependsSpace(parts.normalizer()));
        }
        putId(md, "tokenizer.ggml.bos_token_id", parts.bos());
        putId(md, "tokenizer.ggml.eos_token_id", parts.eos());
        putId(md, "tokenizer.ggml.padding_token_id", parts.pad());
        putId(md, "tokenizer.ggml.unknown_token_id", model.unkId());
        md.put("tokenizer.ggml.add_bos_token", parts.prefix().length > 0);
        md.put("tokenizer.ggml.add_eos_token", parts.suffix().length > 0);
        return md;
    }

    private static void putId(Map<String, Object> md, String key, int id) {
        if (id >= 0) {
            md.put(key, id);
        }
    }

    /** Merges as "left right" strings in rank order. */
    private static List<String> merges(BpeModel model) {
        List<int[]> ranked = new ArrayList<>(model.merges().size());
        model.merges().forEach((left, right, rank, merged) -> ranked.add(new int[] {rank, left, right}));
        ranked.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0])
                : a[1] != b[1] ? Integer.compare(a[1], b[1]) : Integer.compare(a[2], b[2]));
        List<String> out = new ArrayList<>(ranked.size());
        for (int[] m : ranked) {
            out.add(model.token(m[1]) + " " + model.token(m[2]));
        }
        return out;
    }

    /**
     * SentencePiece scores that rank merges as the BPE model does: llama.cpp merges the adjacent pair whose
     * concatenation scores best, so a token made by a merge of rank r scores -r (its best rank when several merges
     * make it), and tokens no merge makes score below every merged one.
     */
    private static List<Float> scores(BpeModel model, int vocabSize) {
        float[] score = new float[vocabSize];
        Arrays.fill(score, Float.NEGATIVE_INFINITY);
        model.merges().forEach((left, right, rank, merged) -> score[merged] = Math.max(score[merged], -rank));
        float floor = -model.merges().size() - 1;
        List<Float> out = new ArrayList<>(vocabSize);
        for (float s : score) {
            out.add(s == Float.NEGATIVE_INFINITY ? floor : s);
        }
        return out;
    }

    private static boolean prependsSpace(JsonNode normalizer) {
        return normalizer != null && normalizer.toString().contains("\"Prepend\"");
    }

    /** The llama.cpp name of a byte-level pre-tokenizer, found by comparing with what each name reads as. */
    private static String preName(JsonNode preTokenizer) {
        JsonNode ours = withoutTrimOffsets(preTokenizer);
        for (String name : PRE_NAMES) {
            try {
                if (withoutTrimOffsets(Json.MAPPER.readTree(GgufTokenizer.preTokenizerJson(name))).equals(ours)) {
                    return name;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("this tokenizer's pre-tokenizer has no llama.cpp equivalent (known: "
                + String.join(", ", PRE_NAMES) + "): " + preTokenizer);
    }

    /** trim_offsets changes only offsets, never the pieces: ignored when comparing. */
    private static JsonNode withoutTrimOffsets(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove("trim_offsets");
            o.forEach(GgufTokenizerWriter::strip);
        } else if (node instanceof ArrayNode a) {
            a.forEach(GgufTokenizerWriter::strip);
        }
    }
}
