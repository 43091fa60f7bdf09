package dev.orchard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Word splitting shared by the filters, shingling and the classifier. */
final class Words {
    private Words() {
    }

    /**
     * Whitespace-separated tokens with punctuation trimmed from both ends; tokens that are all punctuation are
     * dropped. (The Gopher rules count "words" the same way: symbols alone are not words.)
     */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int s = start;
            int e = i;
            while (s < e && isPunct(text.charAt(s))) {
                s++;
            }
            while (e > s && isPunct(text.charAt(e - 1))) {
                e--;
            }
            if (e > s) {
                out.add(text.substring(s, e));
            }
        }
        return out;
    }

    /** Whitespace-separated tokens, untouched (punctuation-only tokens included). */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String t : text.split("\\s+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Lower-cased words with inner punctuation removed: the normal form for shingles, n-grams and hashing. */
    static List<String> normalized(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                w.appendCodePoint(Character.toLowerCase(cp));
            } else if (Character.isWhitespace(cp) || isSeparatorPunct(cp)) {
                if (!w.isEmpty()) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            }
            // other punctuation (apostrophes, hyphens inside words) is dropped without splitting
        }
        if (!w.isEmpty()) {
            out.add(w.toString());
        }
        return out;
    }

    private static boolean isSeparatorPunct(int cp) {
        return cp == '/' || cp == '—' || cp == '–' || cp == '_' || cp == '|' || cp == '.' || cp == ',' || cp == ';'
                || cp == ':' || cp == '!' || cp == '?' || cp == '(' || cp == ')' || cp == '[' || cp == ']'
                || cp == '"' || cp == '“' || cp == '”' || cp == '&' || cp == '+' || cp == '=' || cp == '*';
    }

    static boolean isPunct(char c) {
        int t = Character.getType(c);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
                || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
                || t == Character.OTHER_PUNCTUATION || t == Character.MATH_SYMBOL || t == Character.CURRENCY_SYMBOL
                || t == Character.MODIFIER_SYMBOL || t == Character.OTHER_SYMBOL;
    }

    static boolean hasLetter(String w) {
        for (int i = 0; i < w.length(); i++) {
            if (Character.isLetter(w.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** 64-bit FNV-1a over the chars, then a SplitMix64 finalizer for good bit mixing. */
    static long hash64(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix64(h);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
