package dev.orchard.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Word-boundary matching against a bad-word list (by default the LDNOOBW English list that C4 used). Entries and
 * text are compared as normalized words, so "Fuck," matches "fuck" but "Scunthorpe" and "assessment" match
 * nothing; multi-word entries match as phrases. A document whose matched-word share exceeds the threshold is dropped
 * (or, with {@code action: flag}, kept, counted and marked with the flag {@value #FLAG}).
 */
final class ProfanityStage implements DocStage {
    /** The mark {@code action: flag} puts in a kept document's {@code flags}. */
    static final String FLAG = "profanity";
    private final Set<String> phrases = new HashSet<>();
    private final Set<String> firstWords = new HashSet<>();
    private final List<String> symbols = new ArrayList<>();
    private int maxLen = 1;
    private final double maxRatio;
    private final boolean drop;

    ProfanityStage(CurationConfig.Profanity cfg) {
        this(cfg.wordList == null ? bundled() : file(cfg.wordList), cfg.maxRatio, cfg.action.equals("drop"));
    }

    ProfanityStage(List<String> entries, double maxRatio, boolean drop) {
        this.maxRatio = maxRatio;
        this.drop = drop;
        for (String e : entries) {
            if (e.isBlank()) {
                continue;
            }
            List<String> w = Words.normalized(e);
            if (w.isEmpty()) {
                symbols.add(e.strip()); // an emoji or symbol: matched as a substring
                continue;
            }
            phrases.add(String.join(" ", w));
            firstWords.add(w.get(0));
            maxLen = Math.max(maxLen, w.size());
        }
    }

    @Override
    public String name() {
        return "profanity";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        List<String> words = Words.normalized(doc.text());
        long matched = countMatches(words, doc.text());
        if (matched == 0) {
            return StageResult.keep(doc);
        }
        counters.add("profanity.matched_words", matched);
        double ratio = (double) matched / Math.max(words.size(), 1);
        if (ratio > maxRatio) {
            if (drop) {
                return StageResult.reject("ratio_above_" + maxRatio);
            }
            counters.add("profanity.flagged_documents", 1);
            return StageResult.keep(doc.withFlag(FLAG)); // the mark lets a consumer filter or weight it later
        }
        return StageResult.keep(doc);
    }

    /** Words covered by list entries (a phrase counts all its words); symbol entries count one per occurrence. */
    long countMatches(List<String> words, String text) {
        long matched = 0;
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < words.size()) {
            int hit = 0;
            if (firstWords.contains(words.get(i))) {
                sb.setLength(0);
                for (int len = 1; len <= maxLen && i + len <= words.size(); len++) {
                    if (len > 1) {
                        sb.append(' ');
                    }
                    sb.append(words.get(i + len - 1));
                    if (phrases.contains(sb.toString())) {
                        hit = len; // keep the longest match
                    }
                }
            }
            matched += hit;
            i += Math.max(hit, 1);
        }
        for (String s : symbols) {
            matched += GopherQualityStage.count(text, s);
        }
        return matched;
    }

    static List<String> bundled() {
        try (InputStream in = ProfanityStage.class.getResourceAsStream("ldnoobw-en.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> file(String path) {
        try {
            return Files.readAllLines(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profanity.word_list " + path + ": " + e.getMessage(), e);
        }
    }
}
