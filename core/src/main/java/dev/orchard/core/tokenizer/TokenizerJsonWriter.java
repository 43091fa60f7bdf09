package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Writes a {@link BpeTokenizer} as tokenizer.json in the layout Hugging Face tokenizers writes and reads. */
final class TokenizerJsonWriter {

    private TokenizerJsonWriter() {
    }

    static String write(BpeTokenizer tokenizer) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(tokenizer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode toJson(BpeTokenizer tokenizer) {
        BpeTokenizer.Parts parts = tokenizer.parts();
        BpeModel model = parts.model();
        ObjectNode root = Json.object();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        parts.addedTokens().stream().sorted(Comparator.comparingInt(AddedToken::id)).forEach(t -> {
            ObjectNode o = added.addObject();
            o.put("id", t.id());
            o.put("content", t.content());
            o.put("single_word", t.singleWord());
            o.put("lstrip", t.lstrip());
            o.put("rstrip", t.rstrip());
            o.put("normalized", t.normalized());
            o.put("special", t.special());
        });
        root.set("normalizer", orNull(parts.normalizer()));
        root.set("pre_tokenizer", orNull(parts.preTokenizer()));
        root.set("post_processor", parts.postProcessor() != null ? parts.postProcessor() : template(tokenizer));
        root.set("decoder", orNull(parts.decoder()));
        root.set("model", model(model));
        return root;
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? Json.MAPPER.nullNode() : node;
    }

    /** A TemplateProcessing that adds the tokenizer's prefix and suffix ids, or null when there are none. */
    private static JsonNode template(BpeTokenizer tokenizer) {
        int[] prefix = tokenizer.parts().prefix();
        int[] suffix = tokenizer.parts().suffix();
        if (prefix.length == 0 && suffix.length == 0) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode o = Json.object();
        o.put("type", "TemplateProcessing");
        ArrayNode single = o.putArray("single");
        ArrayNode pair = o.putArray("pair");
        ObjectNode specials = Json.object();
        for (int id : prefix) {
            special(single, specials, tokenizer, id, 0);
            special(pair, specials, tokenizer, id, 0);
        }
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        for (int id : suffix) {
            special(single, specials, tokenizer, id, 0);
            special(pair, specials, tokenizer, id, 0);
        }
        for (int id : prefix) {
            special(pair, specials, tokenizer, id, 1);
        }
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        for (int id : suffix) {
            special(pair, specials, tokenizer, id, 1);
        }
        o.set("special_tokens", specials);
        return o;
    }

    private static void special(ArrayNode template, ObjectNode specials, BpeTokenizer tokenizer, int id, int typeId) {
        String name = tokenizer.tokenText(id);
        template.addObject().putObject("SpecialToken").put("id", name).put("type_id", typeId);
        ObjectNode s = specials.putObject(name);
        s.put("id", name);
        s.putArray("ids").add(id);
        s.putArray("tokens").add(name);
    }

    private static ObjectNode model(BpeModel model) {
        ObjectNode m = Json.object();
        m.put("type", "BPE");
        m.putNull("dropout");
        if (model.unkId() >= 0) {
            m.put("unk_token", model.token(model.unkId()));
        } else {
            m.putNull("unk_token");
        }
        m.putNull("continuing_subword_prefix");
        m.putNull("end_of_word_suffix");
        m.put("fuse_unk", model.fuseUnk());
        m.put("byte_fallback", model.byteFallback());
        m.put("ignore_merges", model.ignoreMerges());
        ObjectNode vocab = m.putObject("vocab");
        for (int id = 0; id < model.size(); id++) {
            String t = model.token(id);
            if (t != null) {
                vocab.put(t, id);
            }
        }
        List<int[]> merges = new ArrayList<>(model.merges().size());
        model.merges().forEach((left, right, rank, merged) -> merges.add(new int[] {rank, left, right}));
        merges.sort(Comparator.<int[]>comparingInt(x -> x[0]).thenComparingInt(x -> x[1]).thenComparingInt(x -> x[2]));
        boolean spaces = false;
        for (int[] x : merges) {
            spaces |= model.token(x[1]).indexOf(' ') >= 0 || model.token(x[2]).indexOf(' ') >= 0;
        }
        ArrayNode list = m.putArray("merges");
        for (int[] x : merges) {
            if (spaces) { // the "a b" form cannot hold tokens with spaces; the pair form can (tokenizers >= 0.20)
                list.addArray().add(model.token(x[1])).add(model.token(x[2]));
            } else {
                list.add(model.token(x[1]) + " " + model.token(x[2]));
            }
        }
        return m;
    }
}
