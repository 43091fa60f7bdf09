package dev.orchard.data;

import java.util.ArrayList;
import java.util.List;

/**
 * FineWeb's line-level quality rules (Penedo et al. 2024; datatrove's FineWebQualityFilter): enough lines ending
 * in terminal punctuation, not too many short lines, few characters in duplicated lines, and not list-like
 * (newlines per word).
 */
final class FineWebStage implements DocStage {
    private final CurationConfig.FineWeb c;

    FineWebStage(CurationConfig.FineWeb c) {
        this.c = c;
    }

    @Override
    public String name() {
        return "fineweb";
    }

    @Override
    public StageResult apply(Doc doc, Counters counters) {
        String reason = check(doc.text());
        return reason == null ? StageResult.keep(doc) : StageResult.reject(reason);
    }

    String check(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        if (lines.isEmpty()) {
            return "empty";
        }
        int punct = 0;
        int shortLines = 0;
        for (String l : lines) {
            if (endsWithTerminal(l)) {
                punct++;
            }
            if (l.length() <= c.shortLineLength) {
                shortLines++;
            }
        }
        if ((double) punct / lines.size() < c.linePunctThreshold) {
            return "line_punct_ratio";
        }
        if ((double) shortLines / lines.size() > c.shortLineThreshold) {
            return "short_line_ratio";
        }
        long dupChars = GopherRepetitionStage.duplicates(lines.toArray(String[]::new))[1];
        long nonNewline = text.length() - GopherQualityStage.count(text, "\n");
        if ((double) dupChars / Math.max(nonNewline, 1) > c.charDuplicatesRatio) {
            return "char_dup_ratio";
        }
        int words = Words.split(text).size();
        if ((double) GopherQualityStage.count(text, "\n") / Math.max(words, 1) > c.newLineRatio) {
            return "list_ratio";
        }
        return null;
    }

    /** datatrove's TERMINAL_PUNCTUATION, the common part: sentence ends in Latin, CJK, Arabic and Indic scripts. */
    static boolean endsWithTerminal(String line) {
        String l = line.stripTrailing();
        if (l.isEmpty()) {
            return false;
        }
        char last = l.charAt(l.length() - 1);
        return ".!?\"'”’。！？؟।॥…".indexOf(last) >= 0;
    }
}
