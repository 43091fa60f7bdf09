package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads Hugging Face's tokenizer.json (BPE models) into a {@link BpeTokenizer}, with errors naming the problem. */
final class TokenizerJsonReader {

    static final List<String> BOS_NAMES = List.of("<s>", "<|begin_of_text|>", "<|startoftext|>", "<bos>", "<|bos|>");
    static final List<String> EOS_NAMES = List.of("</s>", "<|end_of_text|>", "<|endoftext|>", "<eos>", "<|eos|>");
    static final List<String> PAD_NAMES = List.of("<pad>", "<|pad|>", "[PAD]");

    private TokenizerJsonReader() {
    }

    static BpeTokenizer read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new TokenizerFormatException("tokenizer.json must hold a JSON object");
        }
        JsonNode modelNode = root.get("model");
        if (Json.isNull(modelNode) || !modelNode.isObject()) {
            throw new TokenizerFormatException("tokenizer.json has no \"model\"");
        }
        JsonNode typeNode = modelNode.get("type");
        String type = typeNode == null ? (modelNode.has("merges") ? "BPE" : "(none)") : typeNode.asText();
        if (!type.equals("BPE")) {
            throw new TokenizerFormatException("tokenizer.json model type \"" + type + "\" is not supported (only BPE)");
        }
        List<AddedToken> addedTokens = readAddedTokens(root.get("added_tokens"));
        JsonNode pre = root.get("pre_tokenizer");
        PreTokenizer preTokenizer = PreTokenizer.fromJson(pre); // validates early, and tells the model's alphabet
        BpeModel model = readModel(modelNode, preTokenizer != null && preTokenizer.byteLevel());

        Map<String, Integer> ids = new HashMap<>();
        for (AddedToken t : addedTokens) {
            ids.putIfAbsent(t.content(), t.id());
        }
        int[][] post = readPostProcessor(root.get("post_processor"), ids, model);
        int bos = post[0].length == 1 ? post[0][0] : findSpecial(BOS_NAMES, addedTokens);
        int eos = post[1].length == 1 ? post[1][0] : findSpecial(EOS_NAMES, addedTokens);
        int pad = findSpecial(PAD_NAMES, addedTokens);
        return new BpeTokenizer(new BpeTokenizer.Parts(model, root.get("normalizer"), pre, root.get("decoder"),
                root.get("post_processor"), addedTokens, post[0], post[1], bos, eos, pad));
    }

    static int findSpecial(List<String> names, List<AddedToken> tokens) {
        for (String name : names) {
            for (AddedToken t : tokens) {
                if (t.special() && t.content().equals(name)) {
                    return t.id();
                }
            }
        }
        return -1;
    }

    private static List<AddedToken> readAddedTokens(JsonNode node) {
        List<AddedToken> out = new ArrayList<>();
        if (Json.isNull(node)) {
            return out;
        }
        if (!node.isArray()) {
            throw new TokenizerFormatException("tokenizer.json \"added_tokens\" must be an array");
        }
        for (JsonNode t : node) {
            JsonNode id = t.get("id");
            JsonNode content = t.get("content");
            if (id == null || !id.canConvertToInt() || id.asInt() < 0 || content == null || !content.isTextual()) {
                throw new TokenizerFormatException("added token " + t + " needs a non-negative \"id\" and a \"content\" string");
            }
            out.add(new AddedToken(id.asInt(), content.asText(), Json.bool(t, "single_word", false),
                    Json.bool(t, "lstrip", false), Json.bool(t, "rstrip", false), Json.bool(t, "normalized", true),
                    Json.bool(t, "special", false)));
        }
        return out;
    }

    private static BpeModel readModel(JsonNode m, boolean byteLevel) {
        for (String unsupported : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            JsonNode v = m.get(unsupported);
            if (v != null && !v.isNull() && !v.asText().isEmpty()) {
                throw new TokenizerFormatException("BPE model option \"" + unsupported + "\" is not supported");
            }
        }
        JsonNode vocabNode = m.get("vocab");
        if (vocabNode == null || !vocabNode.isObject()) {
            throw new TokenizerFormatException("BPE model has no \"vocab\" object");
        }
        int max = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new TokenizerFormatException("vocab entry \"" + e.getKey() + "\" has no valid id: " + e.getValue());
            }
            max = Math.max(max, e.getValue().asInt());
        }
        String[] vocab = new String[max + 1];
        Map<String, Integer> ids = new HashMap<>(vocab.length * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt();
            if (vocab[id] != null) {
                throw new TokenizerFormatException("vocab ids must be unique: " + id + " is both \"" + vocab[id]
                        + "\" and \"" + e.getKey() + "\"");
            }
            vocab[id] = e.getKey();
            ids.put(e.getKey(), id);
        }
        JsonNode merges = m.get("merges");
        if (merges == null || !merges.isArray()) {
            throw new TokenizerFormatException("BPE model has no \"merges\" array");
        }
        PairMap pairs = new PairMap(merges.size());
        int rank = 0;
        for (JsonNode merge : merges) {
            String a;
            String b;
            if (merge.isTextual()) {
                String s = merge.asText();
                int space = s.indexOf(' ');
                if (space <= 0 || space == s.length() - 1 || s.indexOf(' ', space + 1) >= 0) {
                    throw new TokenizerFormatException("merge " + rank + " \"" + s + "\" is not two tokens separated by one space");
                }
                a = s.substring(0, space);
                b = s.substring(space + 1);
            } else if (merge.isArray() && merge.size() == 2 && merge.get(0).isTextual() && merge.get(1).isTextual()) {
                a = merge.get(0).asText();
                b = merge.get(1).asText();
            } else {
                throw new TokenizerFormatException("merge " + rank + " must be \"a b\" or [\"a\", \"b\"], not " + merge);
            }
            Integer left = ids.get(a);
            Integer right = ids.get(b);
            Integer merged = ids.get(a + b);
            if (left == null || right == null) {
                throw new TokenizerFormatException("merge " + rank + " (" + a + " + " + b + ") names unknown token \""
                        + (left == null ? a : b) + "\"");
            }
            if (merged == null) {
                throw new TokenizerFormatException("merge " + rank + " (" + a + " + " + b + ") makes \"" + a + b
                        + "\", which is not in the vocab");
            }
            pairs.putIfAbsent(left, right, rank, merged);
            rank++;
        }
        int unk = -1;
        JsonNode unkNode = m.get("unk_token");
        if (unkNode != null && unkNode.isTextual()) {
            Integer id = ids.get(unkNode.asText());
            unk = id == null ? -1 : id;
        }
        return new BpeModel(vocab, pairs, byteLevel, Json.bool(m, "byte_fallback", false), unk,
                Json.bool(m, "fuse_unk", false), Json.bool(m, "ignore_merges", false));
    }

    /** BOS-like ids before the text and EOS-like ids after it, from the post-processor's single-sequence template. */
    private static int[][] readPostProcessor(JsonNode node, Map<String, Integer> added, BpeModel model) {
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        collectPost(node, added, model, prefix, suffix);
        return new int[][] {prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray()};
    }

    private static void collectPost(JsonNode node, Map<String, Integer> added, BpeModel model, List<Integer> prefix,
                                    List<Integer> suffix) {
        if (Json.isNull(node)) {
            return;
        }
        String type = Json.type(node, "post_processor");
        switch (type) {
            case "ByteLevel" -> {
            }
            case "Sequence" -> {
                JsonNode list = node.get("processors");
                if (list == null || !list.isArray()) {
                    throw new TokenizerFormatException("post_processor Sequence needs a \"processors\" array");
                }
                for (JsonNode n : list) {
                    collectPost(n, added, model, prefix, suffix);
                }
            }
            case "TemplateProcessing" -> {
                JsonNode single = node.get("single");
                JsonNode specials = node.path("special_tokens");
                if (single == null || !single.isArray()) {
                    throw new TokenizerFormatException("post_processor TemplateProcessing needs a \"single\" template");
                }
                boolean afterSequence = false;
                for (JsonNode item : single) {
                    if (item.has("Sequence")) {
                        afterSequence = true;
                    } else if (item.has("SpecialToken")) {
                        String name = item.get("SpecialToken").path("id").asText();
                        JsonNode ids = specials.path(name).path("ids");
                        if (!ids.isArray() || ids.isEmpty()) {
                            throw new TokenizerFormatException("post_processor template names special token \"" + name
                                    + "\" without ids in \"special_tokens\"");
                        }
                        for (JsonNode id : ids) {
                            (afterSequence ? suffix : prefix).add(id.asInt());
                        }
                    } else {
                        throw new TokenizerFormatException("post_processor template item " + item + " is neither Sequence nor SpecialToken");
                    }
                }
            }
            case "RobertaProcessing", "BertProcessing" -> {
                prefix.add(processorToken(node.get("cls"), "cls", added, model));
                suffix.add(processorToken(node.get("sep"), "sep", added, model));
            }
            default -> throw new TokenizerFormatException("unsupported post_processor type \"" + type
                    + "\" (supported: TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing, Sequence)");
        }
    }

    private static int processorToken(JsonNode pair, String field, Map<String, Integer> added, BpeModel model) {
        if (pair == null || !pair.isArray() || pair.size() != 2) {
            throw new TokenizerFormatException("post_processor needs \"" + field + "\": [token, id]");
        }
        return pair.get(1).asInt();
    }
}
