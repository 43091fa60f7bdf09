package dev.orchard.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * The JSON Lines form of an output document: Orchard's fields in a fixed order (absent values left out), then the
 * input's extra fields ({@link ExtraFields}), then the text.
 */
final class DocJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DocJson() {
    }

    static String line(Doc d, String reason) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.id());
        o.put("source", d.source());
        if (d.url() != null) {
            o.put("url", d.url());
        }
        if (d.title() != null) {
            o.put("title", d.title());
        }
        if (d.language() != null) {
            o.put("language", d.language());
        }
        if (!Double.isNaN(d.quality())) {
            o.put("quality", d.quality());
        }
        if (!d.flags().isEmpty()) {
            d.flags().forEach(o.putArray("flags")::add);
        }
        if (reason != null) {
            o.put("reason", reason);
        }
        ExtraFields.merge(o, d.meta()); // after Orchard's fields, before the (long) text
        o.put("text", d.text());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The output file a document goes to: the same rule as Spark's HashPartitioner on the id. */
    static int shard(String id, int shards) {
        int m = id.hashCode() % shards;
        return m < 0 ? m + shards : m;
    }
}
