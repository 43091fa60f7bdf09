package dev.orchard.eval.ifeval;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The keyword arguments of one instruction, as in the prompt file. The reference draws a random value for a
 * missing argument; a benchmark must not, so a missing or null argument is an error naming the instruction.
 */
record Kwargs(String instructionId, JsonNode node) {

    private JsonNode required(String name) {
        JsonNode v = node == null ? null : node.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("instruction " + instructionId + " needs argument '" + name + "'");
        }
        return v;
    }

    String string(String name) {
        JsonNode v = required(name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("instruction " + instructionId + ": argument '" + name
                    + "' must be a string, got " + v);
        }
        return v.asText();
    }

    int nonNegativeInt(String name) {
        JsonNode v = required(name);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw new IllegalArgumentException("instruction " + instructionId + ": argument '" + name
                    + "' must be a non-negative integer, got " + v);
        }
        return v.asInt();
    }

    List<String> strings(String name) {
        JsonNode v = required(name);
        if (!v.isArray() || v.isEmpty()) {
            throw new IllegalArgumentException("instruction " + instructionId + ": argument '" + name
                    + "' must be a non-empty list of strings, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("instruction " + instructionId + ": argument '" + name
                        + "' must hold strings, got " + e);
            }
            out.add(e.asText());
        }
        return out;
    }

    Relation relation(String name) {
        String text = string(name);
        try {
            return Relation.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("instruction " + instructionId + ": " + e.getMessage(), e);
        }
    }
}
