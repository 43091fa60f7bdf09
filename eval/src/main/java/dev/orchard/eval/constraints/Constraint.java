package dev.orchard.eval.constraints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One verifiable constraint on a story. JSON form (a prompt line's {@code constraints} array):
 * <pre>
 * {"family": "words",   "words": ["kite", "river"]}
 * {"family": "name",    "name": "Max", "kind": "dog"}          (kind is only for phrasing)
 * {"family": "opening", "text": "One sunny morning"}
 * {"family": "ending",  "text": "And they all laughed."}
 * {"family": "length",  "max_words": 60}   or   {"family": "length", "min_words": 150}
 * {"family": "avoid",   "word": "happy"}
 * </pre>
 *
 * @param family the family
 * @param words  the words to use (WORDS), or the single word of NAME / AVOID
 * @param text   the opening or the ending sentence
 * @param kind   what the named character is ("dog", "girl"), or null
 * @param min    the least number of words (LENGTH), or -1
 * @param max    the most words (LENGTH), or -1
 */
public record Constraint(Family family, List<String> words, String text, String kind, int min, int max) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Constraint {
        words = words == null ? List.of() : List.copyOf(words);
    }

    public static Constraint words(List<String> words) {
        return new Constraint(Family.WORDS, words, null, null, -1, -1);
    }

    public static Constraint name(String name, String kind) {
        return new Constraint(Family.NAME, List.of(name), null, kind, -1, -1);
    }

    public static Constraint opening(String text) {
        return new Constraint(Family.OPENING, List.of(), text, null, -1, -1);
    }

    public static Constraint ending(String sentence) {
        return new Constraint(Family.ENDING, List.of(), sentence, null, -1, -1);
    }

    public static Constraint atMost(int words) {
        return new Constraint(Family.LENGTH, List.of(), null, null, -1, words);
    }

    public static Constraint atLeast(int words) {
        return new Constraint(Family.LENGTH, List.of(), null, null, words, -1);
    }

    public static Constraint avoid(String word) {
        return new Constraint(Family.AVOID, List.of(word), null, null, -1, -1);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("family", family.id());
        switch (family) {
            case WORDS -> words.forEach(n.putArray("words")::add);
            case NAME -> {
                n.put("name", words.get(0));
                if (kind != null) {
                    n.put("kind", kind);
                }
            }
            case OPENING, ENDING -> n.put("text", text);
            case LENGTH -> {
                if (max >= 0) {
                    n.put("max_words", max);
                }
                if (min >= 0) {
                    n.put("min_words", min);
                }
            }
            case AVOID -> n.put("word", words.get(0));
        }
        return n;
    }

    /** Parses the JSON form; {@code where} names the place for error messages. */
    public static Constraint fromJson(JsonNode n, String where) {
        if (n == null || !n.isObject() || !n.path("family").isTextual()) {
            throw new IllegalArgumentException(where + ": a constraint needs a string field 'family'");
        }
        Family f;
        try {
            f = Family.parse(n.get("family").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return switch (f) {
            case WORDS -> {
                JsonNode a = n.get("words");
                if (a == null || !a.isArray() || a.isEmpty()) {
                    throw new IllegalArgumentException(where + ": a 'words' constraint needs a non-empty array 'words'");
                }
                List<String> w = new ArrayList<>();
                for (JsonNode x : a) {
                    w.add(text(x, where, "words"));
                }
                yield words(w);
            }
            case NAME -> name(text(n.get("name"), where, "name"), n.path("kind").isTextual() ? n.get("kind").asText() : null);
            case OPENING -> opening(text(n.get("text"), where, "text"));
            case ENDING -> ending(text(n.get("text"), where, "text"));
            case LENGTH -> {
                int max = n.path("max_words").isInt() ? n.get("max_words").asInt() : -1;
                int min = n.path("min_words").isInt() ? n.get("min_words").asInt() : -1;
                if ((max < 0 && min < 0) || (max >= 0 && min > max)) {
                    throw new IllegalArgumentException(where + ": a 'length' constraint needs a non-negative integer "
                            + "'max_words' or 'min_words' (min <= max)");
                }
                yield new Constraint(Family.LENGTH, List.of(), null, null, min, max);
            }
            case AVOID -> avoid(text(n.get("word"), where, "word"));
        };
    }

    private static String text(JsonNode n, String where, String field) {
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": field '" + field + "' must be a non-empty string");
        }
        return n.asText();
    }
}
