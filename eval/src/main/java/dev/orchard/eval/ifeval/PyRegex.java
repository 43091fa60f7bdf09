package dev.orchard.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles Python {@code re} patterns (str patterns, Unicode semantics) into {@link Pattern}s that match the same
 * text, so the checkers can keep the reference's patterns verbatim. What differs and is translated here:
 * <ul>
 *   <li>{@code \w} is "alphanumeric or underscore" ({@code str.isalnum}: categories L and N), where Java's Unicode
 *       {@code \w} also takes combining marks and misses No; {@code \b} follows that {@code \w}.</li>
 *   <li>{@code \s} is {@code str.isspace} (see {@link PyText#isSpace}); {@code \d} is Nd.</li>
 *   <li>{@code .}, {@code ^} and {@code $} know only {@code \n} as a line end ({@link Pattern#UNIX_LINES}).</li>
 *   <li>{@code [} and {@code &&} are literal inside a character class; {@code (?#...)} comments are dropped.</li>
 *   <li>{@code re.IGNORECASE} on str patterns is Unicode-aware.</li>
 * </ul>
 */
final class PyRegex {

    /** Python's {@code \w} inside a character class. */
    static final String WORD = "\\p{L}\\p{N}_";
    /** Python's {@code \s} inside a character class. */
    static final String SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F"
            + "\\u205F\\u3000";
    private static final String BOUNDARY = "(?:(?<=[" + WORD + "])(?![" + WORD + "])|(?<![" + WORD + "])(?=["
            + WORD + "]))";
    private static final String NON_BOUNDARY = "(?:(?<=[" + WORD + "])(?=[" + WORD + "])|(?<![" + WORD + "])(?!["
            + WORD + "]))";

    private PyRegex() {
    }

    static Pattern compile(String python) {
        return compile(python, 0);
    }

    /** @param flags {@link Pattern#CASE_INSENSITIVE} and/or {@link Pattern#MULTILINE}, as re.I and re.M */
    static Pattern compile(String python, int flags) {
        // UNICODE_CASE only matters with case-insensitivity, whether from the flag or an inline (?i).
        return Pattern.compile(translate(python), flags | Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
    }

    static String translate(String py) {
        StringBuilder out = new StringBuilder(py.length() + 32);
        boolean inClass = false;
        int i = 0;
        while (i < py.length()) {
            char c = py.charAt(i);
            if (c == '\\' && i + 1 < py.length()) {
                char e = py.charAt(i + 1);
                out.append(inClass ? classEscape(e) : escape(e));
                i += 2;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                    out.append(']');
                } else if (c == '[' || c == '&') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
                i++;
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append('[');
                i++;
                if (i < py.length() && py.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                // A ']' right after '[' or '[^' is a literal in Python.
                if (i < py.length() && py.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '(' && py.startsWith("(?#", i)) {
                int end = py.indexOf(')', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated comment in pattern: " + py);
                }
                i = end + 1;
                continue;
            }
            out.append(c);
            i++;
        }
        if (inClass) {
            throw new IllegalArgumentException("unterminated character class in pattern: " + py);
        }
        return out.toString();
    }

    private static String escape(char e) {
        return switch (e) {
            case 'w' -> "[" + WORD + "]";
            case 'W' -> "[^" + WORD + "]";
            case 's' -> "[" + SPACE + "]";
            case 'S' -> "[^" + SPACE + "]";
            case 'd' -> "\\p{Nd}";
            case 'D' -> "\\P{Nd}";
            case 'b' -> BOUNDARY;
            case 'B' -> NON_BOUNDARY;
            default -> "\\" + e;
        };
    }

    private static String classEscape(char e) {
        return switch (e) {
            case 'w' -> WORD;
            case 'W' -> "[^" + WORD + "]";
            case 's' -> SPACE;
            case 'S' -> "[^" + SPACE + "]";
            case 'd' -> "\\p{Nd}";
            case 'D' -> "\\P{Nd}";
            default -> "\\" + e;
        };
    }

    /** {@code re.findall} for a pattern without groups (or where group 0 is wanted). */
    static List<String> findAll(Pattern p, String s) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** {@code re.split(pattern, s)} for patterns that never match the empty string: keeps every piece. */
    static List<String> split(Pattern p, String s) {
        return List.of(p.split(s, -1));
    }

    /** {@code re.sub} with a replacement computed per match. */
    static String sub(Pattern p, String s, Function<Matcher, String> replacement) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder(s.length() + 16);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Group {@code g}, or "" where Python's {@code \g} would substitute an unmatched group as empty. */
    static String group(Matcher m, int g) {
        String s = m.group(g);
        return s == null ? "" : s;
    }
}
