package dev.orchard.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;

/**
 * Streams the documents of one input file, one at a time, so a large file never sits in memory whole. Anything
 * wrong with a record (broken JSON, invalid UTF-8, a missing or empty text, a truncated WARC record) becomes a
 * rejected document with a reason instead of an exception; a file that cannot be opened at all becomes one.
 */
abstract class DocReader implements Iterator<Tracked>, Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected final InputFile file;
    protected final int stageCount;
    protected long index;
    private Tracked next;
    private boolean done;
    /** Set by a reader that cannot go on after the record it just returned. */
    protected boolean finished;

    DocReader(InputFile file, int stageCount) {
        this.file = file;
        this.stageCount = stageCount;
    }

    /** Opens a reader for the file; never throws: an unreadable file yields a single rejected record. */
    static DocReader open(InputFile file, Configuration conf, int stageCount) {
        try {
            return switch (file.format()) {
                case JSONL -> new Jsonl(file, stream(file, conf), stageCount);
                case TEXT, HTML -> new Whole(file, stream(file, conf), stageCount);
                case WARC -> new Warc(file, stream(file, conf), stageCount);
                case PARQUET -> new Parquet(file, conf, stageCount);
            };
        } catch (IOException | RuntimeException e) {
            return new Failed(file, stageCount, "unreadable_file", e.getMessage());
        }
    }

    private static InputStream stream(InputFile f, Configuration conf) throws IOException {
        Path p = new Path(f.path());
        InputStream in = new BufferedInputStream(p.getFileSystem(conf).open(p), 1 << 16);
        // jwarc detects gzip members itself; other formats are gunzipped here.
        if (f.path().toLowerCase(Locale.ROOT).endsWith(".gz") && f.format() != InputFile.Format.WARC) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    /** Reads the next record, or returns null at the end. */
    protected abstract Tracked readNext() throws IOException;

    protected String nextId() {
        return file.source() + ":" + (index++);
    }

    protected Tracked malformed(String why, String snippet, long raw) {
        return Tracked.malformed(nextId(), file.source(), why, snippet, raw, stageCount);
    }

    protected Tracked doc(String url, String title, String contentType, String text, long raw) {
        return doc(url, title, contentType, text, raw, null);
    }

    /** @param meta the record's fields Orchard does not read, carried to the output ({@link ExtraFields}); or null */
    protected Tracked doc(String url, String title, String contentType, String text, long raw, String meta) {
        String id = nextId();
        if (text.isBlank()) {
            return Tracked.malformed(id, file.source(), "empty", text, raw, stageCount);
        }
        Doc d = Doc.read(id, file.source(), url, title, contentType, text, meta);
        Counters counters = new Counters();
        ExtraFields.count(meta, counters);
        return Tracked.read(d, raw, stageCount, counters);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                next = finished ? null : readNext();
            } catch (IOException | RuntimeException e) {
                next = malformed("read_error", String.valueOf(e.getMessage()), 0);
                done = true;
            }
            if (next == null) {
                done = true;
                closeQuietly();
            }
        }
        return next != null;
    }

    @Override
    public Tracked next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Tracked t = next;
        next = null;
        if (done) {
            closeQuietly();
        }
        return t;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // nothing more will be read from it
        }
    }

    static String decodeStrict(byte[] bytes, int off, int len) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, off, len)).toString();
    }

    private static final Pattern META_CHARSET =
            Pattern.compile("<meta[^>]+charset\\s*=\\s*[\"']?([A-Za-z0-9_.:-]+)", Pattern.CASE_INSENSITIVE);

    /** Decodes HTML leniently: the declared charset (HTTP header, then meta tag), else UTF-8 with replacement. */
    static String decodeHtml(byte[] bytes, String declared) {
        Charset cs = charset(declared);
        if (cs == null) {
            String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
            Matcher m = META_CHARSET.matcher(head);
            if (m.find()) {
                cs = charset(m.group(1));
            }
        }
        if (cs == null) {
            cs = StandardCharsets.UTF_8;
        }
        int off = 0;
        if (cs == StandardCharsets.UTF_8 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF
                && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            off = 3;
        }
        return new String(bytes, off, bytes.length - off, cs);
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Charset.forName(name.trim());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String snippet(byte[] b, int len) {
        return new String(b, 0, Math.min(len, 200), StandardCharsets.UTF_8);
    }

    /** JSON Lines with a {@code text} field (and optional {@code url}, {@code title}); other fields are carried. */
    static final class Jsonl extends DocReader {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);

        Jsonl(InputFile f, InputStream in, int stageCount) {
            super(f, stageCount);
            this.in = in;
        }

        @Override
        protected Tracked readNext() throws IOException {
            while (true) {
                line.reset();
                int c;
                while ((c = in.read()) != -1 && c != '\n') {
                    line.write(c);
                }
                if (c == -1 && line.size() == 0) {
                    return null;
                }
                byte[] b = line.toByteArray();
                int len = b.length;
                if (len > 0 && b[len - 1] == '\r') {
                    len--;
                }
                if (isBlank(b, len)) {
                    continue; // blank lines are not records
                }
                String s;
                try {
                    s = decodeStrict(b, 0, len);
                } catch (CharacterCodingException e) {
                    return malformed("invalid_utf8", snippet(b, len), len);
                }
                JsonNode node;
                try {
                    node = JSON.readTree(s);
                } catch (JsonProcessingException e) {
                    return malformed("invalid_json", s.length() > 200 ? s.substring(0, 200) : s, len);
                }
                if (node == null || !node.isObject()) {
                    return malformed("invalid_json", s.length() > 200 ? s.substring(0, 200) : s, len);
                }
                JsonNode text = node.get("text");
                if (text == null || !text.isTextual()) {
                    return malformed("missing_text", s.length() > 200 ? s.substring(0, 200) : s, len);
                }
                String ct = Doc.PLAIN;
                JsonNode type = node.get("content_type");
                if (type != null && type.isTextual() && type.asText().toLowerCase(Locale.ROOT).contains("html")) {
                    ct = Doc.HTML;
                }
                return doc(textOrNull(node, "url"), textOrNull(node, "title"), ct, text.asText(), len,
                        ExtraFields.any((ObjectNode) node) ? ExtraFields.of(s) : null);
            }
        }

        private static boolean isBlank(byte[] b, int len) {
            for (int i = 0; i < len; i++) {
                if (b[i] != ' ' && b[i] != '\t') {
                    return false;
                }
            }
            return true;
        }

        private static String textOrNull(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v != null && v.isTextual() ? v.asText() : null;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A plain-text or HTML file: one document. */
    static final class Whole extends DocReader {
        private InputStream in;

        Whole(InputFile f, InputStream in, int stageCount) {
            super(f, stageCount);
            this.in = in;
        }

        @Override
        protected Tracked readNext() throws IOException {
            if (in == null) {
                return null;
            }
            byte[] b = in.readAllBytes();
            in.close();
            in = null;
            if (file.format() == InputFile.Format.HTML) {
                return doc(null, null, Doc.HTML, decodeHtml(b, null), b.length);
            }
            String s;
            try {
                s = decodeStrict(b, 0, b.length);
            } catch (CharacterCodingException e) {
                return malformed("invalid_utf8", snippet(b, b.length), b.length);
            }
            if (s.startsWith("\uFEFF")) {
                s = s.substring(1);
            }
            return doc(null, null, Doc.PLAIN, s, b.length);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    /** WARC (optionally gzipped): each response or resource record is a document; other records are skipped. */
    static final class Warc extends DocReader {
        private final WarcReader reader;
        private final Iterator<WarcRecord> records;

        Warc(InputFile f, InputStream in, int stageCount) throws IOException {
            super(f, stageCount);
            this.reader = new WarcReader(in);
            this.reader.onWarning(w -> { });
            this.records = reader.iterator();
        }

        @Override
        protected Tracked readNext() throws IOException {
            while (true) {
                WarcRecord rec;
                try {
                    if (!records.hasNext()) {
                        return null;
                    }
                    rec = records.next();
                } catch (RuntimeException e) {
                    return truncated(e);
                }
                try {
                    if (rec instanceof WarcResponse resp) {
                        HttpResponse http = resp.http();
                        String url = resp.target();
                        byte[] body = http.bodyDecoded().stream().readAllBytes();
                        if (http.status() != 200) {
                            return malformedAt(url, "http_status_" + http.status(), body.length);
                        }
                        MediaType type = http.contentType();
                        if (!isText(type)) {
                            return malformedAt(url, "unsupported_content_type", body.length);
                        }
                        String charset = type.parameters().get("charset");
                        return docFor(url, type, body, charset);
                    } else if (rec instanceof WarcResource res) {
                        byte[] body = res.body().stream().readAllBytes();
                        MediaType type = res.payloadType();
                        if (!isText(type)) {
                            return malformedAt(res.target(), "unsupported_content_type", body.length);
                        }
                        return docFor(res.target(), type, body, type.parameters().get("charset"));
                    }
                } catch (IOException | RuntimeException e) {
                    return truncated(e);
                }
            }
        }

        private Tracked docFor(String url, MediaType type, byte[] body, String charset) {
            boolean html = type.subtype().contains("html");
            String text = decodeHtml(body, charset);
            return doc(url, null, html ? Doc.HTML : Doc.PLAIN, text, body.length);
        }

        private Tracked malformedAt(String url, String why, long raw) {
            return malformed(why, url, raw);
        }

        private Tracked truncated(Exception e) {
            // A broken record leaves the stream position unknown: count it and stop reading this file.
            finished = true;
            return malformed("truncated_warc", String.valueOf(e.getMessage()), 0);
        }

        private static boolean isText(MediaType t) {
            String base = t.base().toString().toLowerCase(Locale.ROOT);
            return base.startsWith("text/") || base.equals("application/xhtml+xml");
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /**
     * Parquet with a string {@code text} column (and optional {@code url}, {@code title}). A string {@code meta}
     * column, as Orchard's own Parquet output has, holds the extra fields; other columns are not read.
     */
    static final class Parquet extends DocReader {
        private final ParquetReader<Group> reader;
        private final boolean hasUrl;
        private final boolean hasTitle;
        private final boolean hasMeta;

        Parquet(InputFile f, Configuration conf, int stageCount) throws IOException {
            super(f, stageCount);
            HadoopInputFile in = HadoopInputFile.fromPath(new Path(f.path()), conf);
            MessageType schema;
            try (var r = org.apache.parquet.hadoop.ParquetFileReader.open(in)) {
                schema = r.getFooter().getFileMetaData().getSchema();
            }
            if (!schema.containsField("text")) {
                throw new IOException("no 'text' column in " + f.source());
            }
            hasUrl = schema.containsField("url");
            hasTitle = schema.containsField("title");
            hasMeta = schema.containsField("meta") && schema.getType("meta").isPrimitive()
                    && schema.getType("meta").asPrimitiveType().getPrimitiveTypeName()
                    == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
            reader = ParquetReader.builder(new GroupReadSupport(), new Path(f.path())).withConf(conf).build();
        }

        @Override
        protected Tracked readNext() throws IOException {
            Group g = reader.read();
            if (g == null) {
                return null;
            }
            if (g.getFieldRepetitionCount("text") == 0) {
                return malformed("missing_text", null, 0);
            }
            String text = g.getString("text", 0);
            String url = hasUrl && g.getFieldRepetitionCount("url") > 0 ? g.getString("url", 0) : null;
            String title = hasTitle && g.getFieldRepetitionCount("title") > 0 ? g.getString("title", 0) : null;
            String meta = hasMeta && g.getFieldRepetitionCount("meta") > 0 ? g.getString("meta", 0) : null;
            return doc(url, title, Doc.PLAIN, text, Tracked.utf8Length(text), metaFields(meta));
        }

        /** A {@code meta} value that is a JSON object is the extra fields; any other string is kept as one. */
        private static String metaFields(String meta) {
            if (meta == null) {
                return null;
            }
            try {
                return ExtraFields.text(ExtraFields.fields(meta));
            } catch (IllegalArgumentException e) {
                return "{\"meta\":" + ExtraFields.quote(meta) + "}";
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** A file that could not be opened: one rejected record naming the problem. */
    static final class Failed extends DocReader {
        private final String why;
        private final String message;
        private boolean emitted;

        Failed(InputFile f, int stageCount, String why, String message) {
            super(f, stageCount);
            this.why = why;
            this.message = message;
        }

        @Override
        protected Tracked readNext() {
            if (emitted) {
                return null;
            }
            emitted = true;
            return malformed(why, message, file.size());
        }

        @Override
        public void close() {
        }
    }
}
