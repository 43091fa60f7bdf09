package dev.orchard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a local Spark session: accounting, determinism, formats, and agreement with the loop. */
class PipelineSparkTest {
    private static SparkSession spark;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path input;

    @BeforeAll
    static void start() throws IOException {
        Sparks.quietLogs();
        spark = SparkSession.builder().master("local[2]").appName("orchard-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "localhost")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        input = dir.resolve("in");
        Files.createDirectories(input);
        writeFixture(input);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A mixed corpus with every kind of trouble the guarantees talk about. */
    static void writeFixture(Path in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(json(TestText.document(i)));
        }
        lines.add(json(TestText.document(3)));                      // exact duplicate of doc 3
        lines.add(json(TestText.document(4).replace("The ", "the ").toUpperCase()
                .replace("\n", "\n\n").toLowerCase()));                 // same after normalization
        String near = TestText.document(5);
        int cut = near.lastIndexOf(". ");
        lines.add(json(near.substring(0, cut + 1) + " A small note was added at the very end."));
        lines.add(json(TestText.document(6) + "\nContact me at jane.doe@example.com or (212) 555-0142 today."));
        lines.add(json("Der alte Bauer ging am Morgen über die Brücke zum Markt, und die Kinder folgten ihm. "
                .repeat(1) + "Es war ein kalter Tag im Winter, aber die Sonne schien über dem Dorf und dem Fluss. "
                + "Niemand wusste, warum der Zug so spät ankam, und alle warteten geduldig am Bahnhof. "
                + "Die Lehrerin erzählte eine lange Geschichte über den Wald und die Berge hinter der Stadt. "
                + "Am Abend kehrten alle nach Hause zurück und sprachen über die Reise und die Pläne für morgen. "
                + "Der Bäcker hatte frisches Brot gebacken, und der Duft zog durch die engen Gassen des Ortes."));
        String prompt = "Write a 300+ word summary of the wikipedia page \"https://en.wikipedia.org/wiki/Raymond_III,"
                + "_Count_of_Tripoli\". Do not use any commas and highlight at least 3 sections that has titles in "
                + "markdown format, for example *highlighted section part 1*, *highlighted section part 2*, "
                + "*highlighted section part 3*.";
        lines.add(json(TestText.document(7) + "\n" + prompt));        // contaminated with an IFEval prompt
        lines.add("{\"text\": \"broken json");                         // malformed
        lines.add("{\"title\": \"no text field\"}");                   // missing text
        lines.add(json("   "));                                         // empty
        lines.add("[1, 2, 3]");                                          // not an object
        try (OutputStream o = Files.newOutputStream(in.resolve("a.jsonl"))) {
            o.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            o.write('\n');
            o.write("{\"text\": \"bad \u0000 bytes: ".getBytes(StandardCharsets.UTF_8));
            o.write(new byte[] {(byte) 0xC3, (byte) 0x28, '"', '}', '\n'});  // invalid UTF-8
        }
        Files.writeString(in.resolve("b.txt"), TestText.document(100));
        Files.writeString(in.resolve("page.html"), "<html><head><title>A page</title></head><body>"
                + "<div class=nav><a href=/>Home</a> | <a href=/a>About</a> | <a href=/b>Blog</a></div>"
                + "<p>" + TestText.document(200).replace("\n", "</p><p>") + "</p>"
                + "<div class=footer><a href=/c>Contact</a> <a href=/p>Privacy</a></div></body></html>");
        byte[] warc = warc(List.of(
                response("http://example.org/one", "<html><body><p>" + TestText.document(300) + "</p></body></html>"),
                response("http://blocked.example.net/x", "<html><body><p>" + TestText.document(301)
                        + "</p></body></html>")));
        Files.write(in.resolve("c.warc"), warc);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(in.resolve("d.warc.gz")))) {
            byte[] one = warc(List.of(response("http://example.org/two", "<html><body><p>"
                    + TestText.document(302) + "</p></body></html>")));
            o.write(one);
        }
        byte[] truncated = warc(List.of(response("http://example.org/three", "<html><body><p>"
                + TestText.document(303) + "</p></body></html>")));
        Files.write(in.resolve("e.warc"), java.util.Arrays.copyOf(truncated, truncated.length - 400));
        Files.writeString(in.resolve("ignored.csv"), "not an input format");
    }

    static String json(String text) {
        try {
            return JSON.writeValueAsString(java.util.Map.of("text", text));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static byte[] response(String url, String html) {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        String http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes(http.getBytes(StandardCharsets.ISO_8859_1));
        block.writeBytes(body);
        byte[] content = block.toByteArray();
        String head = "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + url + "\r\n"
                + "WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:" + java.util.UUID.nameUUIDFromBytes(
                url.getBytes(StandardCharsets.UTF_8)) + ">\r\nContent-Type: application/http; msgtype=response\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        rec.writeBytes(content);
        rec.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return rec.toByteArray();
    }

    static byte[] warc(List<byte[]> records) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        records.forEach(o::writeBytes);
        return o.toByteArray();
    }

    static CurationConfig config() throws IOException {
        CurationConfig c = new CurationConfig();
        Path block = dir.resolve("blocklist.txt");
        Files.writeString(block, "# test\nblocked.example.net\n");
        c.optOut.blocklist = block.toString();
        c.language.candidates = List.of("de", "fr");
        c.output.shards = 2;
        return c;
    }

    static Curation.Request request(String out, CurationConfig c, boolean keepRejected) {
        return new Curation.Request(List.of(input.toString()), out, c, keepRejected, null, System.err, false);
    }

    @Test
    void everyDocumentIsAccountedForAndOutputIsDeterministic() throws IOException {
        Path out1 = dir.resolve("out1");
        Path out2 = dir.resolve("out2");
        CurationReport r1 = Curation.run(request(out1.toString(), config(), true), spark);
        CurationReport r2 = Curation.run(request(out2.toString(), config(), true), spark);

        // 41 JSONL records + txt + html + 2 WARC responses + 1 gzipped + 1 truncated
        assertThat(r1.inputDocuments()).isEqualTo(41 + 1 + 1 + 2 + 1 + 1);
        assertThat(r1.balanced()).isTrue();
        assertThat(r1.outputDocuments() + r1.rejectedDocuments()).isEqualTo(r1.inputDocuments());
        assertThat(r1.reasons()).containsKeys("read:invalid_json", "read:invalid_utf8", "read:missing_text",
                "read:empty", "read:truncated_warc", "exact_dedup:duplicate", "fuzzy_dedup:near_duplicate",
                "language:not_kept_de", "opt_out:blocklist", "decontamination:eval_ngram_overlap");
        assertThat(r1.reasons().get("read:invalid_json")).isEqualTo(2);
        assertThat(r1.reasons().get("exact_dedup:duplicate")).isEqualTo(2);
        assertThat(r1.counters()).containsEntry("pii.email", 1L).containsEntry("pii.phone", 1L);

        // the files hold exactly what the report says
        assertThat(lines(out1.resolve("data"))).hasSize((int) r1.outputDocuments());
        assertThat(lines(out1.resolve("rejected"))).hasSize((int) r1.rejectedDocuments());
        for (String l : lines(out1.resolve("rejected"))) {
            assertThat(JSON.readTree(l).get("reason").asText()).contains(":");
        }
        JsonNode report = JSON.readTree(Files.readString(out1.resolve("report.json")));
        assertThat(report.get("balanced").asBoolean()).isTrue();
        assertThat(Files.readString(out1.resolve("report.html"))).contains("<svg").contains("exact_dedup");
        assertThat(lines(out1.resolve("data"))).noneMatch(l -> l.contains("jane.doe@example.com"))
                .anyMatch(l -> l.contains("[EMAIL]") && l.contains("[PHONE]"));

        // byte-identical reruns
        assertThat(files(out1.resolve("data"))).isEqualTo(files(out2.resolve("data")));
        for (String f : files(out1.resolve("data"))) {
            assertThat(Files.readAllBytes(out1.resolve("data").resolve(f)))
                    .isEqualTo(Files.readAllBytes(out2.resolve("data").resolve(f)));
        }
        for (String f : files(out1.resolve("rejected"))) {
            assertThat(Files.readAllBytes(out1.resolve("rejected").resolve(f)))
                    .isEqualTo(Files.readAllBytes(out2.resolve("rejected").resolve(f)));
        }

        // the single-threaded loop keeps the very same documents, byte for byte
        Path local = dir.resolve("local");
        CurationReport rl = Curation.runLocal(request(local.toString(), config(), true));
        assertThat(rl.reasons()).isEqualTo(r1.reasons());
        assertThat(rl.stages()).isEqualTo(r1.stages());
        for (String f : files(out1.resolve("data"))) {
            assertThat(Files.readAllBytes(local.resolve("data").resolve(f)))
                    .isEqualTo(Files.readAllBytes(out1.resolve("data").resolve(f)));
        }
        // no temporary directory is left behind
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("orchard-tmp"));
        }
    }

    @Test
    void parquetOutputIsReadableAndMatchesTheCounts() throws IOException {
        CurationConfig c = config();
        c.output.format = "parquet";
        Path out = dir.resolve("pq");
        CurationReport r = Curation.run(request(out.toString(), c, false), spark);
        long n = spark.read().parquet(out.resolve("data").toString()).count();
        assertThat(n).isEqualTo(r.outputDocuments());
        assertThat(files(out.resolve("data"))).allMatch(f -> f.matches("part-\\d{5}\\.parquet"));

        // and a Parquet corpus is an input too
        Path again = dir.resolve("pq2");
        CurationConfig c2 = new CurationConfig();
        c2.stages = List.of("exact_dedup");
        CurationReport r2 = Curation.run(new Curation.Request(List.of(out.resolve("data").toString()),
                again.toString(), c2, false, null, System.err, false), spark);
        assertThat(r2.inputDocuments()).isEqualTo(r.outputDocuments());
        assertThat(r2.outputDocuments()).isEqualTo(r.outputDocuments());
    }

    @Test
    void profanityFlagMarksExactlyTheOffendingDocumentsInJsonlAndParquet() throws IOException {
        Path in = dir.resolve("flag-in");
        Files.createDirectories(in);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(json(TestText.document(1000 + i) + (i % 3 == 1 ? " What the fuck is this shit." : "")));
        }
        Files.write(in.resolve("f.jsonl"), lines);
        CurationConfig c = new CurationConfig();
        c.stages = List.of("gopher_quality", "profanity", "exact_dedup");
        c.profanity.action = "flag";
        c.output.shards = 2;
        Path out = dir.resolve("flag-out");
        CurationReport r = Curation.run(new Curation.Request(List.of(in.toString()), out.toString(), c, false, null,
                System.err, false), spark);

        assertThat(r.outputDocuments()).isEqualTo(6);
        assertThat(r.counters()).containsEntry("profanity.flagged_documents", 2L);
        java.util.Map<String, JsonNode> byId = new java.util.TreeMap<>();
        for (String l : lines(out.resolve("data"))) {
            JsonNode n = JSON.readTree(l);
            byId.put(n.get("id").asText(), n);
        }
        assertThat(byId.keySet()).hasSize(6);
        byId.forEach((id, n) -> {
            boolean offending = id.equals("flag-in/f.jsonl:1") || id.equals("flag-in/f.jsonl:4");
            if (offending) {
                assertThat(n.get("flags").toString()).as(id).isEqualTo("[\"profanity\"]");
            } else {
                assertThat(n.has("flags")).as(id).isFalse();
            }
        });

        // the local loop writes the same marks, byte for byte
        Path local = dir.resolve("flag-local");
        Curation.runLocal(new Curation.Request(List.of(in.toString()), local.toString(), c, false, null,
                System.err, false));
        for (String f : files(out.resolve("data"))) {
            assertThat(Files.readAllBytes(local.resolve("data").resolve(f)))
                    .isEqualTo(Files.readAllBytes(out.resolve("data").resolve(f)));
        }

        // Parquet: a flags array column, null where nothing was flagged
        c.output.format = "parquet";
        Path pq = dir.resolve("flag-pq");
        Curation.run(new Curation.Request(List.of(in.toString()), pq.toString(), c, false, null, System.err, false),
                spark);
        List<org.apache.spark.sql.Row> rows = spark.read().parquet(pq.resolve("data").toString())
                .selectExpr("id", "flags").orderBy("id").collectAsList();
        assertThat(rows).hasSize(6);
        for (org.apache.spark.sql.Row row : rows) {
            boolean offending = row.getString(0).equals("flag-in/f.jsonl:1")
                    || row.getString(0).equals("flag-in/f.jsonl:4");
            if (offending) {
                assertThat(row.getList(1)).as(row.getString(0)).containsExactly("profanity");
            } else {
                assertThat(row.isNullAt(1)).as(row.getString(0)).isTrue();
            }
        }
    }

    @Test
    void extraInputFieldsAreCarriedThroughUnchanged() throws IOException {
        Path in = dir.resolve("meta-in");
        Files.createDirectories(in);
        String meta0 = "{\"set\":\"Books\",\"tags\":[\"a\",{\"b\":null}],\"score\":1.50,"
                + "\"big\":123456789012345678901234567890,\"tiny\":-0.0000001,\"name\":\"caf\\u00e9\"}";
        String deep = "{\"nested\": {\"deep\": [1, [2, [3]]]}}";
        Files.write(in.resolve("m.jsonl"), List.of(
                "{\"id\":\"doc-0\",\"text\":" + quoted(TestText.document(2000)) + ",\"url\":\"http://a.example/0\","
                        + "\"meta\":" + meta0 + ",\"source\":\"cc\",\"lang\":\"en\"}",
                json(TestText.document(2001)),
                "{\"meta\": " + deep + ", \"reason\": \"mine\", \"input_id\": \"y\", \"id\": 7, \"text\": "
                        + quoted(TestText.document(2002)) + "}",
                "{\"text\":" + quoted(TestText.document(2000)) + ",\"batch\":3}"));   // a duplicate of doc 0
        CurationConfig c = new CurationConfig();
        c.stages = List.of("gopher_quality", "exact_dedup");
        c.output.shards = 2;
        Path out = dir.resolve("meta-out");
        CurationReport r = Curation.run(new Curation.Request(List.of(in.toString()), out.toString(), c, true, null,
                System.err, false), spark);
        assertThat(r.outputDocuments()).isEqualTo(3);
        assertThat(r.counters()).containsEntry("read.extra_fields", 3L).containsEntry("read.renamed_field.id", 2L)
                .containsEntry("read.renamed_field.source", 1L).containsEntry("read.renamed_field.reason", 1L);

        java.util.Map<String, String> byId = new java.util.TreeMap<>();
        for (String l : lines(out.resolve("data"))) {
            byId.put(JSON.readTree(l).get("id").asText(), l);
        }
        String doc0 = byId.get("meta-in/m.jsonl:0");
        // Orchard's fields, then the extra ones in input order (clashing names prefixed), then the text
        assertThat(fieldNames(doc0)).containsExactly("id", "source", "url", "input_id", "meta", "input_source", "lang",
                "text");
        assertThat(doc0).contains("\"meta\":" + meta0 + ",\"input_source\":\"cc\",\"lang\":\"en\",")
                .contains("\"id\":\"meta-in/m.jsonl:0\"").contains("\"input_id\":\"doc-0\"");
        assertThat(fieldNames(byId.get("meta-in/m.jsonl:1"))).containsExactly("id", "source", "text");
        String doc2 = byId.get("meta-in/m.jsonl:2");
        assertThat(fieldNames(doc2)).containsExactly("id", "source", "meta", "input_reason", "input_id",
                "input_input_id", "text");
        assertThat(doc2).contains("\"meta\":" + deep + ",\"input_reason\":\"mine\",\"input_id\":\"y\","
                + "\"input_input_id\":7,");
        // the rejected duplicate keeps its extra fields too, beside Orchard's reason
        assertThat(lines(out.resolve("rejected"))).singleElement().satisfies(l ->
                assertThat(fieldNames(l)).containsExactly("id", "source", "reason", "batch", "text"));

        // same input, byte-identical output; and the local loop agrees
        Path again = dir.resolve("meta-out2");
        Curation.run(new Curation.Request(List.of(in.toString()), again.toString(), c, true, null, System.err, false),
                spark);
        Path local = dir.resolve("meta-local");
        Curation.runLocal(new Curation.Request(List.of(in.toString()), local.toString(), c, true, null, System.err,
                false));
        for (String sub : List.of("data", "rejected")) {
            for (String f : files(out.resolve(sub))) {
                byte[] want = Files.readAllBytes(out.resolve(sub).resolve(f));
                assertThat(Files.readAllBytes(again.resolve(sub).resolve(f))).isEqualTo(want);
                assertThat(Files.readAllBytes(local.resolve(sub).resolve(f))).isEqualTo(want);
            }
        }

        // Parquet: one meta column with the extra fields under their input names ...
        c.output.format = "parquet";
        Path pq = dir.resolve("meta-pq");
        Curation.run(new Curation.Request(List.of(in.toString()), pq.toString(), c, false, null, System.err, false),
                spark);
        List<org.apache.spark.sql.Row> rows = spark.read().parquet(pq.resolve("data").toString())
                .selectExpr("id", "meta").orderBy("id").collectAsList();
        assertThat(rows.get(0).getString(1))
                .isEqualTo("{\"id\":\"doc-0\",\"meta\":" + meta0 + ",\"source\":\"cc\",\"lang\":\"en\"}");
        assertThat(rows.get(1).isNullAt(1)).isTrue();
        // ... which a later run reads back: Parquet in, JSON Lines out, the same extra fields
        CurationConfig c2 = new CurationConfig();
        c2.stages = List.of("exact_dedup");
        Path back = dir.resolve("meta-back");
        Curation.run(new Curation.Request(List.of(pq.resolve("data").toString()), back.toString(), c2, false, null,
                System.err, false), spark);
        assertThat(lines(back.resolve("data"))).anySatisfy(l -> assertThat(l)
                .contains("\"meta\":" + meta0 + ",\"input_source\":\"cc\",\"lang\":\"en\","));
    }

    static String quoted(String s) throws IOException {
        return JSON.writeValueAsString(s);
    }

    static List<String> fieldNames(String jsonLine) throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(jsonLine).fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void refusesToOverwriteOutput() throws IOException {
        Path out = dir.resolve("taken");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "precious");
        assertThatThrownBy(() -> Curation.run(request(out.toString(), config(), false), spark))
                .hasMessageContaining("already exists");
        assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("precious");
    }

    static List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static List<String> lines(Path d) throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : files(d)) {
            out.addAll(Files.readAllLines(d.resolve(f)));
        }
        return out;
    }
}
