package dev.orchard.core.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds added tokens in text the way Hugging Face's AddedVocabulary does: leftmost-longest matches, then the
 * single_word, lstrip and rstrip rules. A trie over characters; texts without any token's first character are
 * skipped at the cost of one bit test per character.
 */
final class AddedTokenMatcher {

    private static final Pattern WORD_AT_END = Pattern.compile("\\w$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WORD_AT_START = Pattern.compile("^\\w", Pattern.UNICODE_CHARACTER_CLASS);

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        AddedToken token;
    }

    /** Receives text segments and matched tokens in order. */
    interface Sink {
        void text(String segment, int offset);

        void token(AddedToken token);
    }

    private final Node root = new Node();
    private final java.util.BitSet firstChars = new java.util.BitSet(65536);
    private final boolean empty;

    AddedTokenMatcher(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            if (t.content().isEmpty()) {
                continue;
            }
            Node n = root;
            for (int i = 0; i < t.content().length(); i++) {
                n = n.next.computeIfAbsent(t.content().charAt(i), c -> new Node());
            }
            if (n.token == null) {
                n.token = t;
            }
            firstChars.set(t.content().charAt(0));
        }
        empty = root.next.isEmpty();
    }

    boolean isEmpty() {
        return empty;
    }

    void split(String text, Sink sink) {
        if (empty) {
            sink.text(text, 0);
            return;
        }
        int n = text.length();
        int emitted = 0; // end of what has been passed to the sink
        int i = 0;
        while (i < n) {
            if (!firstChars.get(text.charAt(i))) {
                i++;
                continue;
            }
            AddedToken best = null;
            int bestEnd = -1;
            Node node = root;
            for (int j = i; j < n; j++) {
                node = node.next.get(text.charAt(j));
                if (node == null) {
                    break;
                }
                if (node.token != null) {
                    best = node.token;
                    bestEnd = j + 1;
                }
            }
            if (best == null) {
                i++;
                continue;
            }
            int start = i;
            int stop = bestEnd;
            if (best.singleWord()) {
                boolean spaceBefore = start == 0 || !WORD_AT_END.matcher(text.substring(0, start)).find();
                boolean spaceAfter = stop == n || !WORD_AT_START.matcher(text.substring(stop)).find();
                if (!spaceBefore || !spaceAfter) {
                    i = bestEnd; // like Aho-Corasick, the next search starts after this match
                    continue;
                }
            }
            if (best.lstrip()) {
                int s = start;
                while (s > emitted && Scanner.classOf(text.codePointBefore(s)) == Scanner.SPACE) {
                    s -= Character.charCount(text.codePointBefore(s));
                }
                start = s;
            }
            if (best.rstrip()) {
                while (stop < n && Scanner.classOf(text.codePointAt(stop)) == Scanner.SPACE) {
                    stop += Character.charCount(text.codePointAt(stop));
                }
            }
            if (start > emitted) {
                sink.text(text.substring(emitted, start), emitted);
            }
            sink.token(best);
            emitted = stop;
            i = stop;
        }
        if (emitted < n) {
            sink.text(text.substring(emitted), emitted);
        }
    }
}
