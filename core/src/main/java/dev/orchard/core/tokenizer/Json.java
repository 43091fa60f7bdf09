package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small helpers for reading tokenizer.json components with errors that name the offending field. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String type(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new TokenizerFormatException(where + " must be an object");
        }
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) {
            throw new TokenizerFormatException(where + " has no \"type\"");
        }
        return t.asText();
    }

    static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new TokenizerFormatException(where + " needs a string \"" + field + "\"");
        }
        return v.asText();
    }

    static boolean bool(JsonNode node, String field, boolean otherwise) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? otherwise : v.asBoolean();
    }

    static boolean isNull(JsonNode node) {
        return node == null || node.isNull();
    }

    /** A Split/Replace pattern: {"String": "..."} or {"Regex": "..."}; returns a compiled regex for both. */
    static java.util.regex.Pattern pattern(JsonNode node, String where) {
        JsonNode p = node.get("pattern");
        if (p == null || !p.isObject()) {
            throw new TokenizerFormatException(where + " needs a \"pattern\" object ({\"String\": ...} or {\"Regex\": ...})");
        }
        if (p.has("String")) {
            return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(p.get("String").asText()));
        }
        if (p.has("Regex")) {
            return Regexes.compile(p.get("Regex").asText(), where);
        }
        throw new TokenizerFormatException(where + " pattern must have \"String\" or \"Regex\"");
    }
}
