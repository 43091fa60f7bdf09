package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a tokenizer from GGUF metadata ({@code tokenizer.ggml.*}), matching llama.cpp: model {@code gpt2}
 * (byte-level BPE with ranked merges and a named pre-tokenizer) and model {@code llama} (SentencePiece BPE: merges
 * ranked by the score of the token they make, byte fallback, a ▁ prepended to the text).
 *
 * <p>The result is described with the same tokenizer.json components Hugging Face uses for these models, so it can
 * be saved as tokenizer.json.
 */
final class GgufTokenizer {

    private static final int TYPE_NORMAL = 1;
    private static final int TYPE_UNKNOWN = 2;
    private static final int TYPE_CONTROL = 3;
    private static final int TYPE_USER_DEFINED = 4;

    private GgufTokenizer() {
    }

    static BpeTokenizer fromMetadata(Map<String, Object> md) {
        String model = string(md, "tokenizer.ggml.model");
        if (model == null) {
            throw new TokenizerFormatException("GGUF metadata has no tokenizer (tokenizer.ggml.model is missing)");
        }
        List<?> tokenList = list(md, "tokenizer.ggml.tokens");
        if (tokenList == null || tokenList.isEmpty()) {
            throw new TokenizerFormatException("GGUF metadata has no tokenizer.ggml.tokens");
        }
        String[] tokens = new String[tokenList.size()];
        for (int i = 0; i < tokens.length; i++) {
            if (!(tokenList.get(i) instanceof String s)) {
                throw new TokenizerFormatException("tokenizer.ggml.tokens[" + i + "] is not a string");
            }
            tokens[i] = s;
        }
        int[] types = new int[tokens.length];
        Arrays.fill(types, TYPE_NORMAL);
        List<?> typeList = list(md, "tokenizer.ggml.token_type");
        if (typeList != null) {
            if (typeList.size() != tokens.length) {
                throw new TokenizerFormatException("tokenizer.ggml.token_type has " + typeList.size() + " entries for "
                        + tokens.length + " tokens");
            }
            for (int i = 0; i < types.length; i++) {
                types[i] = ((Number) typeList.get(i)).intValue();
            }
        }
        List<AddedToken> added = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (types[i] == TYPE_CONTROL || types[i] == TYPE_UNKNOWN) {
                added.add(AddedToken.special(i, tokens[i]));
            } else if (types[i] == TYPE_USER_DEFINED) {
                added.add(new AddedToken(i, tokens[i], false, false, false, false, false));
            }
        }
        int bos = id(md, "tokenizer.ggml.bos_token_id", tokens.length);
        int eos = id(md, "tokenizer.ggml.eos_token_id", tokens.length);
        int pad = id(md, "tokenizer.ggml.padding_token_id", tokens.length);
        int unk = id(md, "tokenizer.ggml.unknown_token_id", tokens.length);
        return switch (model) {
            case "gpt2" -> gpt2(md, tokens, added, bos, eos, pad);
            case "llama" -> llama(md, tokens, types, added, bos, eos, pad, unk);
            default -> throw new TokenizerFormatException("GGUF tokenizer model \"" + model
                    + "\" is not supported (gpt2 and llama are)");
        };
    }

    private static BpeTokenizer gpt2(Map<String, Object> md, String[] tokens, List<AddedToken> added, int bos, int eos,
                                     int pad) {
        String pre = string(md, "tokenizer.ggml.pre");
        String preJson = preTokenizerJson(pre);
        if (preJson == null) {
            throw new TokenizerFormatException("GGUF pre-tokenizer \"" + pre + "\" is not supported (gpt-2, "
                    + "llama3/llama-bpe, qwen2, starcoder/smollm, default and their aliases are)");
        }
        boolean ignoreMerges = pre != null && (pre.equals("llama3") || pre.equals("llama-v3") || pre.equals("llama-bpe"));
        List<?> mergeList = list(md, "tokenizer.ggml.merges");
        if (mergeList == null) {
            throw new TokenizerFormatException("GGUF gpt2 tokenizer has no tokenizer.ggml.merges");
        }
        Map<String, Integer> ids = index(tokens);
        PairMap merges = new PairMap(mergeList.size());
        for (int rank = 0; rank < mergeList.size(); rank++) {
            String s = String.valueOf(mergeList.get(rank));
            int space = s.indexOf(' ', 1);
            if (space < 0) {
                throw new TokenizerFormatException("tokenizer.ggml.merges[" + rank + "] \"" + s + "\" has no space");
            }
            Integer a = ids.get(s.substring(0, space));
            Integer b = ids.get(s.substring(space + 1));
            Integer ab = ids.get(s.substring(0, space) + s.substring(space + 1));
            if (a == null || b == null || ab == null) {
                throw new TokenizerFormatException("tokenizer.ggml.merges[" + rank + "] \"" + s + "\" names a token not in the vocabulary");
            }
            merges.putIfAbsent(a, b, rank, ab);
        }
        BpeModel bpe = new BpeModel(tokens, merges, true, false, -1, false, ignoreMerges);
        boolean addBos = bool(md, "tokenizer.ggml.add_bos_token", false);
        boolean addEos = bool(md, "tokenizer.ggml.add_eos_token", false);
        return new BpeTokenizer(new BpeTokenizer.Parts(bpe, null, json(preJson),
                json("{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_regex\":true}"), null,
                added, prefix(addBos, bos), prefix(addEos, eos), bos, eos, pad));
    }

    /**
     * The tokenizer.json pre-tokenizer that computes what llama.cpp's pre-tokenizer {@code pre} does (null: the
     * absent key, llama.cpp's default), or null when Orchard does not know it.
     */
    static String preTokenizerJson(String pre) {
        return switch (pre == null ? "(none)" : pre) {
            case "gpt-2", "mpt", "olmo", "jais" ->
                    "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}";
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "smaug-bpe", "dbrx" -> split(Regexes.LLAMA3);
            case "qwen2", "stablelm2", "deepseek-r1-qwen", "megrez" -> split(Regexes.QWEN2);
            // llama.cpp's LLAMA_VOCAB_PRE_TYPE_DEFAULT (also used when tokenizer.ggml.pre is absent): four regexes
            // applied one after another, each splitting the pieces the previous one left.
            case "default", "(none)" -> splitSequence(List.of("[\\p{P}\\$\\+<=>\\^~\\|]+",
                    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)",
                    "\\p{N}+", "[0-9][0-9][0-9]"));
            case "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b" ->
                    "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Digits\",\"individual_digits\":true},"
                            + "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}]}";
            default -> null;
        };
    }

    private static String splitSequence(List<String> regexes) {
        StringBuilder json = new StringBuilder("{\"type\":\"Sequence\",\"pretokenizers\":[");
        for (String regex : regexes) {
            json.append("{\"type\":\"Split\",\"pattern\":{\"Regex\":").append(quote(regex))
                    .append("},\"behavior\":\"Isolated\",\"invert\":false},");
        }
        return json.append("{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,")
                .append("\"use_regex\":false}]}").toString();
    }

    private static String split(String regex) {
        return "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                + quote(regex) + "},\"behavior\":\"Isolated\",\"invert\":false},"
                + "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}";
    }

    private static BpeTokenizer llama(Map<String, Object> md, String[] tokens, int[] types, List<AddedToken> added,
                                      int bos, int eos, int pad, int unk) {
        List<?> scoreList = list(md, "tokenizer.ggml.scores");
        if (scoreList == null || scoreList.size() != tokens.length) {
            throw new TokenizerFormatException("GGUF llama tokenizer needs tokenizer.ggml.scores, one per token");
        }
        double[] scores = new double[tokens.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = ((Number) scoreList.get(i)).doubleValue();
        }
        // llama.cpp merges the adjacent pair whose concatenation is the best-scored token, leftmost on ties: that is
        // BPE with every split of every token as a merge ranked by the dense rank of the token's score.
        double[] distinct = Arrays.stream(scores).distinct().sorted().toArray();
        Map<String, Integer> ids = index(tokens);
        PairMap merges = new PairMap(tokens.length * 4);
        for (int t = 0; t < tokens.length; t++) {
            String s = tokens[t];
            int rank = distinct.length - 1 - Arrays.binarySearch(distinct, scores[t]);
            for (int k = s.offsetByCodePoints(0, 1); k < s.length(); k = s.offsetByCodePoints(k, 1)) {
                Integer a = ids.get(s.substring(0, k));
                Integer b = ids.get(s.substring(k));
                if (a != null && b != null) {
                    merges.putIfAbsent(a, b, rank, t);
                }
            }
        }
        BpeModel bpe = new BpeModel(tokens, merges, false, true, unk, true, false);
        boolean spacePrefix = bool(md, "tokenizer.ggml.add_space_prefix", true);
        String replace = "{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"\u2581\"}";
        String normalizer = spacePrefix
                ? "{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Prepend\",\"prepend\":\"\u2581\"}," + replace + "]}"
                : replace;
        String decoder = "{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\",\"pattern\":{\"String\":\"\u2581\"},"
                + "\"content\":\" \"},{\"type\":\"ByteFallback\"},{\"type\":\"Fuse\"}"
                + (spacePrefix ? ",{\"type\":\"Strip\",\"content\":\" \",\"start\":1,\"stop\":0}" : "") + "]}";
        boolean addBos = bool(md, "tokenizer.ggml.add_bos_token", true);
        boolean addEos = bool(md, "tokenizer.ggml.add_eos_token", false);
        return new BpeTokenizer(new BpeTokenizer.Parts(bpe, json(normalizer), null, json(decoder), null, added,
                prefix(addBos, bos), prefix(addEos, eos), bos, eos, pad));
    }

    private static int[] prefix(boolean add, int id) {
        return add && id >= 0 ? new int[] {id} : new int[0];
    }

    private static Map<String, Integer> index(String[] tokens) {
        Map<String, Integer> ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            ids.putIfAbsent(tokens[i], i);
        }
        return ids;
    }

    private static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String string(Map<String, Object> md, String key) {
        Object v = md.get(key);
        if (v != null && !(v instanceof String)) {
            throw new TokenizerFormatException(key + " must be a string, not " + v.getClass().getSimpleName());
        }
        return (String) v;
    }

    private static List<?> list(Map<String, Object> md, String key) {
        Object v = md.get(key);
        if (v != null && !(v instanceof List<?>)) {
            throw new TokenizerFormatException(key + " must be an array");
        }
        return (List<?>) v;
    }

    private static boolean bool(Map<String, Object> md, String key, boolean otherwise) {
        Object v = md.get(key);
        return v instanceof Boolean b ? b : otherwise;
    }

    private static int id(Map<String, Object> md, String key, int size) {
        Object v = md.get(key);
        if (v == null) {
            return -1;
        }
        if (!(v instanceof Number n)) {
            throw new TokenizerFormatException(key + " must be an integer");
        }
        long id = n.longValue();
        if (id < 0 || id >= size) {
            return -1; // llama.cpp writes -1 (as an unsigned 0xFFFFFFFF) for "no such token"
        }
        return (int) id;
    }
}
