package dev.orchard.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python 3 {@code str} semantics that the IFEval reference relies on and Java spells differently: what counts as
 * whitespace ({@code str.isspace}, used by {@code strip()} and {@code split()}), {@code isupper()} / {@code islower()}
 * over whole strings, and {@code lower()}. Java's {@code String.strip()} and {@code Character.isWhitespace} disagree
 * with Python on U+00A0, U+2007, U+202F and U+001C..U+001F, which do occur in model output.
 */
final class PyText {

    private PyText() {
    }

    /** {@code str.isspace()} for one code point (bidirectional class WS, B or S, or category Zs). */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
                 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        return rstrip(lstrip(s));
    }

    static String lstrip(String s) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!isSpace(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    static String rstrip(String s) {
        int j = s.length();
        while (j > 0) {
            int cp = s.codePointBefore(j);
            if (!isSpace(cp)) {
                break;
            }
            j -= Character.charCount(cp);
        }
        return s.substring(0, j);
    }

    /** {@code s.strip(chars)}: removes any of {@code chars} from both ends. */
    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int j = s.length();
        while (j > 0 && chars.indexOf(s.charAt(j - 1)) >= 0) {
            j--;
        }
        return s.substring(0, j);
    }

    /** {@code s.split()}: runs of whitespace separate, no empty strings. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            out.add(s.substring(start, i));
        }
        return out;
    }

    /** {@code s.split(sep)} with a literal separator: keeps empty pieces, as Python does. */
    static List<String> split(String s, String sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                out.add(s.substring(from));
                return out;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
    }

    /**
     * {@code s.isupper()}: no lowercase or titlecase character, and at least one uppercase one. Java's
     * {@code Character.isUpperCase/isLowerCase} include Other_Uppercase/Other_Lowercase, as Python's do.
     */
    static boolean isUpper(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isLowerCase(cp) || Character.isTitleCase(cp)) {
                return false;
            }
            if (Character.isUpperCase(cp)) {
                cased = true;
            }
            i += Character.charCount(cp);
        }
        return cased;
    }

    /** {@code s.islower()}: no uppercase or titlecase character, and at least one lowercase one. */
    static boolean isLower(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                return false;
            }
            if (Character.isLowerCase(cp)) {
                cased = true;
            }
            i += Character.charCount(cp);
        }
        return cased;
    }

    /** {@code s.lower()}: full Unicode lowercase mapping, independent of the default locale. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Python's {@code len(s)}: code points, not UTF-16 units. */
    static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
