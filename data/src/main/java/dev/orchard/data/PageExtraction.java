package dev.orchard.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Main-text extraction of single HTML files, outside the curation pipeline: what {@code orchard extract} runs, for
 * trying the extractor on pages. Each page becomes one JSON Lines record: {@code source} (the path as found),
 * {@code url}, {@code title}, {@code published}, {@code language} when the page states them, {@code method} (which
 * extraction step produced the text), {@code words}, and {@code text}; a page with no main text gets
 * {@code reason: no_main_text} and an empty text.
 */
public final class PageExtraction {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageExtraction() {
    }

    /** How many pages were written, and how many of them had no main text. */
    public record Summary(int pages, int empty) {
    }

    /**
     * Extracts every {@code .html}, {@code .htm} (optionally {@code .gz}) file of {@code inputs} (directories are
     * walked, hidden files skipped) into {@code output}, written to a temporary file beside it and renamed at the end.
     *
     * @throws IllegalArgumentException when an input does not exist or no HTML file was found
     */
    public static Summary extract(List<Path> inputs, Path output) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                throw new NoSuchFileException(in.toString());
            }
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                            .filter(PageExtraction::isHtml).sorted().forEach(files::add);
                }
            } else {
                files.add(in);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .html or .htm files in " + inputs);
        }
        Path dir = output.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + output.getFileName(), ".tmp");
        int empty = 0;
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Path f : files) {
                ArticleExtractor.Article a = ArticleExtractor.extract(read(f));
                empty += a.text().isBlank() ? 1 : 0;
                w.write(line(f.toString(), a));
                w.write('\n');
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Summary(files.size(), empty);
    }

    static boolean isHtml(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".html") || n.endsWith(".htm") || n.endsWith(".html.gz") || n.endsWith(".htm.gz");
    }

    /** A page's bytes decoded by BOM or meta charset (UTF-8 otherwise), as the curation reader does. */
    static String read(Path f) throws IOException {
        try (InputStream raw = Files.newInputStream(f);
             InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return DocReader.decodeHtml(in.readAllBytes(), null);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(f + ": not a gzip file (" + e.getMessage() + ")", e);
        }
    }

    static String line(String source, ArticleExtractor.Article a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", source);
        putIfKnown(o, "url", a.url());
        putIfKnown(o, "title", a.title());
        putIfKnown(o, "published", a.published());
        putIfKnown(o, "language", a.language());
        o.put("method", a.method());
        o.put("words", ArticleExtractor.words(a.text()));
        if (a.text().isBlank()) {
            o.put("reason", "no_main_text");
        }
        o.put("text", a.text());
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putIfKnown(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
