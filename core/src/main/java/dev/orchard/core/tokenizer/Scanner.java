package dev.orchard.core.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the matches of a pre-tokenizer pattern in a text, left to right, without overlaps. The well-known patterns
 * of GPT-2, Llama-3 (also cl100k) and Qwen2 have hand-written scanners that give exactly the matches of the regex
 * (the tests hold them to java.util.regex on random text); any other pattern runs through java.util.regex.
 */
interface Scanner {

    /** Receives one match [start, end) in chars. */
    @FunctionalInterface
    interface Sink {
        void match(int start, int end);
    }

    void scan(String text, Sink sink);

    static Scanner of(String regex, String where) {
        if (regex.equals(Regexes.GPT2)) {
            return new Gpt2();
        }
        if (regex.equals(Regexes.LLAMA3)) {
            return new Llama3(3);
        }
        if (regex.equals(Regexes.QWEN2)) {
            return new Llama3(1);
        }
        return regex(Regexes.compile(regex, where));
    }

    static Scanner regex(Pattern pattern) {
        return (text, sink) -> {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    sink.match(m.start(), m.end());
                }
            }
        };
    }

    // Character classes as java.util.regex sees them with UNICODE_CHARACTER_CLASS.
    int LETTER = 1;
    int NUMBER = 2;
    int SPACE = 3;
    int OTHER = 4;

    static int classOf(int cp) {
        if (cp < 128) {
            return AsciiClasses.TABLE[cp];
        }
        int type = Character.getType(cp);
        switch (type) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> {
                return LETTER;
            }
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> {
                return NUMBER;
            }
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> {
                return SPACE;
            }
            default -> {
                return cp == 0x85 ? SPACE : OTHER;
            }
        }
    }

    final class AsciiClasses {
        static final int[] TABLE = new int[128];

        static {
            for (int c = 0; c < 128; c++) {
                TABLE[c] = Character.isLetter(c) ? LETTER : Character.isDigit(c) ? NUMBER
                        : (c >= 9 && c <= 13) || c == ' ' ? SPACE : OTHER;
            }
        }

        private AsciiClasses() {
        }
    }

    /** End of the run of characters of class {@code cls} starting at {@code i}. */
    static int runEnd(String s, int i, int cls) {
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            if (classOf(cp) != cls) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    static int classAt(String s, int i) {
        return i < s.length() ? classOf(s.codePointAt(i)) : 0;
    }

    /** {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+} */
    final class Gpt2 implements Scanner {
        @Override
        public void scan(String s, Sink sink) {
            int n = s.length();
            int i = 0;
            while (i < n) {
                int end = next(s, i, n);
                sink.match(i, end);
                i = end;
            }
        }

        private static int next(String s, int i, int n) {
            char c = s.charAt(i);
            if (c == '\'' && i + 1 < n) {
                char a = s.charAt(i + 1);
                if (a == 's' || a == 't' || a == 'm' || a == 'd') {
                    return i + 2;
                }
                if (i + 2 < n) {
                    char b = s.charAt(i + 2);
                    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                        return i + 3;
                    }
                }
            }
            int j = c == ' ' ? i + 1 : i;
            int cls = classAt(s, j);
            if (cls == LETTER || cls == NUMBER || cls == OTHER) {
                return runEnd(s, j, cls);
            }
            return whitespace(s, i, n);
        }
    }

    /** {@code \s+(?!\S)|\s+} at a whitespace character. */
    static int whitespace(String s, int i, int n) {
        int k = runEnd(s, i, SPACE);
        if (k < n && k - 1 > i) {
            return k - 1; // leave the last space to prefix the next word
        }
        return k;
    }

    /**
     * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*
     * |\s*[\r\n]+|\s+(?!\S)|\s+}: Llama-3 and cl100k with 3 digits, Qwen2 with 1.
     */
    final class Llama3 implements Scanner {
        private final int maxDigits;

        Llama3(int maxDigits) {
            this.maxDigits = maxDigits;
        }

        @Override
        public void scan(String s, Sink sink) {
            int n = s.length();
            int i = 0;
            while (i < n) {
                int end = next(s, i, n);
                sink.match(i, end);
                i = end;
            }
        }

        private static boolean is(int cp, char lower) {
            return cp == lower || cp == Character.toUpperCase(lower) || (lower == 's' && cp == 0x17F);
        }

        private int next(String s, int i, int n) {
            int c = s.codePointAt(i);
            int cl = Character.charCount(c);
            if (c == '\'' && i + 1 < n) {
                int a = s.codePointAt(i + 1);
                int al = Character.charCount(a);
                if (is(a, 's') || is(a, 't') || is(a, 'm') || is(a, 'd')) {
                    return i + 1 + al;
                }
                if (i + 1 + al < n) {
                    int b = s.codePointAt(i + 1 + al);
                    if ((is(a, 'r') && is(b, 'e')) || (is(a, 'v') && is(b, 'e')) || (is(a, 'l') && is(b, 'l'))) {
                        return i + 1 + al + Character.charCount(b);
                    }
                }
            }
            int cls = classOf(c);
            if (cls == LETTER) {
                return runEnd(s, i, LETTER);
            }
            if (cls != NUMBER && c != '\r' && c != '\n' && classAt(s, i + cl) == LETTER) {
                return runEnd(s, i + cl, LETTER);
            }
            if (cls == NUMBER) {
                int k = i;
                for (int d = 0; d < maxDigits && k < n; d++) {
                    int cp = s.codePointAt(k);
                    if (classOf(cp) != NUMBER) {
                        break;
                    }
                    k += Character.charCount(cp);
                }
                return k;
            }
            int j = c == ' ' ? i + 1 : i;
            if (classAt(s, j) == OTHER) {
                int k = runEnd(s, j, OTHER);
                while (k < n && (s.charAt(k) == '\r' || s.charAt(k) == '\n')) {
                    k++;
                }
                return k;
            }
            // Here c is whitespace.
            int k = runEnd(s, i, SPACE);
            for (int p = k - 1; p >= i; p--) {
                char ch = s.charAt(p);
                if (ch == '\r' || ch == '\n') {
                    return p + 1;
                }
            }
            return whitespace(s, i, n);
        }
    }
}
