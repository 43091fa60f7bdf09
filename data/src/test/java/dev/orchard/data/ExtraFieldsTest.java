package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Extra input fields: which ones are carried, that their values come out exactly, and what happens on a clash. */
class ExtraFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fieldsOrchardReadsAreNotCarried() throws Exception {
        String plain = "{\"text\": \"t\", \"url\": \"u\", \"title\": null, \"content_type\": \"text/html\"}";
        assertThat(ExtraFields.any((ObjectNode) JSON.readTree(plain))).isFalse();
        assertThat(ExtraFields.of(plain)).isNull();
        String rich = "{\"meta\": {\"a\": [1, {\"b\": null}]}, \"text\": \"t\", \"url\": 7, \"lang\": \"en\"}";
        assertThat(ExtraFields.any((ObjectNode) JSON.readTree(rich))).isTrue();
        // a url that is not a string is of no use to Orchard, so it is carried rather than lost
        assertThat(ExtraFields.of(rich)).isEqualTo("{\"meta\":{\"a\": [1, {\"b\": null}]},\"url\":7,\"lang\":\"en\"}");
    }

    @Test
    void valuesAreCopiedExactly() {
        String values = "\"a\":1.50,\"b\":0.1000000000000000055511151231257827,\"c\":123456789012345678901234567890,"
                + "\"d\":-0.0000001,\"e\":1e400,\"f\":\"caf\\u00e9 \\\"q\\\" \\\\\",\"g\":[true,false,null,{}],\"h\":\"\"";
        assertThat(ExtraFields.of("{\"text\":\"t\"," + values + "}")).isEqualTo("{" + values + "}");
        // a repeated name keeps its first place and its last value, as a parsed tree would
        assertThat(ExtraFields.of("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo("{\"a\":3,\"b\":2}");
        assertThat(ExtraFields.of("{\"url\":5,\"b\":2,\"url\":\"u\"}")).isEqualTo("{\"b\":2}");
        assertThatThrownBy(() -> ExtraFields.fields("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orchardsFieldsWinAndTheInputsAreRenamed() throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", "f.jsonl:0");
        out.put("source", "f.jsonl");
        String meta = ExtraFields.of("{\"id\": \"doc-1\", \"input_id\": \"x\", \"source\": \"cc\", \"text\": \"t\", "
                + "\"meta\": {}}");
        ExtraFields.merge(out, meta);
        assertThat(JSON.writeValueAsString(out)).isEqualTo("{\"id\":\"f.jsonl:0\",\"source\":\"f.jsonl\","
                + "\"input_input_id\":\"doc-1\",\"input_id\":\"x\",\"input_source\":\"cc\",\"meta\":{}}");

        Counters c = new Counters();
        ExtraFields.count(meta, c);
        assertThat(c.asMap()).containsEntry("read.extra_fields", 1L).containsEntry("read.renamed_field.id", 1L)
                .containsEntry("read.renamed_field.source", 1L).hasSize(3);
    }
}
