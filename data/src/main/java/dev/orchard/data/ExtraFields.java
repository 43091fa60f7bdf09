package dev.orchard.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The fields of an input record that Orchard does not read ({@code meta}, {@code source}, nested objects, anything),
 * carried through to the output documents. They travel on {@link Doc#meta()} as the text of one JSON object, fields in
 * input order: a string keeps {@code Doc} a plain serializable record and costs nothing when a corpus has none.
 *
 * <p>Each value is kept as its exact JSON text from the input, never parsed into numbers or strings and written
 * again, so nothing can be rounded or re-spelled on the way ({@code 1.50} stays {@code 1.50}, a 30-digit integer
 * stays whole, {@code "\u00e9"} stays escaped).
 *
 * <p>In JSON Lines output the fields are merged back into the record after Orchard's own. Orchard's fields win a
 * name clash, but nothing is lost: an extra field named like one of {@link #RESERVED} is written as
 * {@code input_<name>} (prefixed again while that name is taken too), and the report counts it.
 */
final class ExtraFields {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The names Orchard writes in its own output records. */
    static final Set<String> RESERVED = Set.of("id", "source", "url", "title", "language", "quality", "flags",
            "reason", "text");

    /** What an extra field whose name is reserved is renamed to in JSON Lines output: {@code input_id} for {@code id}. */
    static final String PREFIX = "input_";

    private ExtraFields() {
    }

    /**
     * The extra fields of a JSONL record (already checked to be a JSON object), as the text {@link Doc#meta()} holds;
     * null when there are none. Orchard reads {@code text} and {@code content_type}, and {@code url} and {@code title}
     * when they are strings (or null); a {@code url} or {@code title} of another type is carried like any other field
     * rather than lost.
     */
    static String of(String record) {
        Map<String, String> extra = new LinkedHashMap<>();
        split(record, (name, token) -> !readByOrchard(name, token), extra);
        return text(extra);
    }

    /** Whether a record might have extra fields: a cheap test on its parsed form, so plain corpora skip {@link #of}. */
    static boolean any(ObjectNode record) {
        return record.properties().stream().anyMatch(e -> !readByOrchard(e.getKey(), e.getValue().asToken()));
    }

    private static boolean readByOrchard(String name, JsonToken value) {
        return switch (name) {
            case "text", "content_type" -> true;
            case "url", "title" -> value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL;
            default -> false;
        };
    }

    /**
     * The fields of a JSON object text, name to the value's exact JSON text, in order (a repeated name keeps its first
     * place and its last value, as a parsed tree would). Throws on text that is not a JSON object.
     */
    static Map<String, String> fields(String object) {
        Map<String, String> out = new LinkedHashMap<>();
        split(object, (name, token) -> true, out);
        return out;
    }

    private static void split(String object, BiPredicate<String, JsonToken> keep, Map<String, String> out) {
        try (JsonParser p = JSON.createParser(object)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren(); // to the end of an object or array value
                p.finishToken();  // strings are scanned lazily: make the parser reach the closing quote
                int end = (int) p.currentLocation().getCharOffset();
                if (keep.test(name, value)) {
                    out.put(name, object.substring(start, end));
                } else {
                    out.remove(name); // a repeated name: the last one counts, as in the parsed tree
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
    }

    /** A JSON object text of the given fields (values as they are); null for none. */
    static String text(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /** A string as a JSON string literal. */
    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Report counters for one document's extra fields: that it has some, and which names clash with Orchard's. */
    static void count(String meta, Counters counters) {
        if (meta == null) {
            return;
        }
        counters.add("read.extra_fields", 1);
        for (String name : fields(meta).keySet()) {
            if (RESERVED.contains(name)) {
                counters.add("read.renamed_field." + name, 1);
            }
        }
    }

    /** Appends the extra fields to an output record that already holds Orchard's fields (see the class comment). */
    static void merge(ObjectNode out, String meta) {
        if (meta == null) {
            return;
        }
        Map<String, String> extra = fields(meta);
        Set<String> taken = new HashSet<>(RESERVED);
        taken.addAll(extra.keySet());
        for (Map.Entry<String, String> e : extra.entrySet()) {
            String name = e.getKey();
            if (RESERVED.contains(name)) {
                do {
                    name = PREFIX + name;
                } while (!taken.add(name));
            }
            out.putRawValue(name, new RawValue(e.getValue()));
        }
    }
}
