package dev.orchard.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The extraction development set: Orchard's own hand-marked pages under {@code testdata/extraction/<type>/}
 * ({@code NAME.html} beside {@code NAME.txt}, the main text) and CleanEval's dev split when
 * {@code ../shared/data/extraction} is present.
 */
final class ExtractionDevSet {
    private ExtractionDevSet() {
    }

    record Page(String type, String name, String html, String gold) {
    }

    static Path repo() {
        return Path.of(System.getProperty("orchard.repo", ".."));
    }

    /** Orchard's pages, by type (news, blog, docs, forum, ...): {@code NAME.html} or {@code NAME.html.gz}. */
    static List<Page> ownPages() throws IOException {
        Path root = repo().resolve("testdata/extraction");
        List<Page> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path html : files.filter(p -> p.toString().endsWith(".html") || p.toString().endsWith(".html.gz"))
                    .sorted().toList()) {
                String name = html.getFileName().toString().replaceFirst("\\.html(\\.gz)?$", "");
                Path gold = html.resolveSibling(name + ".txt");
                out.add(new Page(html.getParent().getFileName().toString(), name, read(html),
                        Files.readString(gold)));
            }
        }
        return out;
    }

    /** A page's HTML, gunzipped when it ends in .gz, decoded by its BOM or meta charset as the reader does. */
    static String read(Path html) throws IOException {
        byte[] bytes;
        try (InputStream raw = Files.newInputStream(html);
             InputStream in = html.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            bytes = in.readAllBytes();
        }
        return DocReader.decodeHtml(bytes, null);
    }

    /** CleanEval pages of one split ({@code dev} or {@code final}); empty when the data are absent. */
    static List<Page> cleanEval(String split) throws IOException {
        Path dir = repo().resolve("../shared/data/extraction/cleaneval").resolve(split);
        List<Page> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir.resolve("GoldStandard"))) {
            for (Path g : files.sorted().toList()) {
                String id = g.getFileName().toString().replace(".txt", "");
                Path html = dir.resolve("input").resolve(id + ".html.gz");
                if (!Files.exists(html)) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = new GZIPInputStream(Files.newInputStream(html))) {
                    bytes = in.readAllBytes();
                }
                String gold = Files.readString(g, StandardCharsets.ISO_8859_1);
                gold = gold.startsWith("URL:") ? gold.substring(gold.indexOf('\n') + 1) : gold;
                gold = gold.replaceAll("<[phl]>", " ");
                if (gold.isBlank()) {
                    continue;
                }
                out.add(new Page("cleaneval-" + split, id, DocReader.decodeHtml(bytes, null), gold));
            }
        }
        return out;
    }

    /** Shingle (n=4) and unigram scores of one extractor, per page type and over all pages. */
    static Map<String, ExtractionScore[]> score(List<Page> pages, Function<String, String> extractor) {
        Map<String, ExtractionScore[]> out = new LinkedHashMap<>();
        for (Page p : pages) {
            String text = extractor.apply(p.html());
            for (String key : List.of(p.type(), "all")) {
                ExtractionScore[] s = out.computeIfAbsent(key,
                        k -> new ExtractionScore[] {new ExtractionScore(4), new ExtractionScore(1)});
                s[0].add(p.gold(), text);
                s[1].add(p.gold(), text);
            }
        }
        return out;
    }

    static String table(Map<String, Map<String, ExtractionScore[]>> byMethod) {
        StringBuilder sb = new StringBuilder(String.format("%-14s %-18s %5s  %6s %6s %6s   %6s %6s %6s%n", "type",
                "method", "pages", "P4", "R4", "F1-4", "P1", "R1", "F1-1"));
        Map<String, ExtractionScore[]> first = byMethod.values().iterator().next();
        for (String type : first.keySet()) {
            for (Map.Entry<String, Map<String, ExtractionScore[]>> m : byMethod.entrySet()) {
                ExtractionScore[] s = m.getValue().get(type);
                sb.append(String.format("%-14s %-18s %5d  %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f%n", type, m.getKey(),
                        s[0].pages(), s[0].precision(), s[0].recall(), s[0].f1(), s[1].precision(), s[1].recall(),
                        s[1].f1()));
            }
        }
        return sb.toString();
    }
}
