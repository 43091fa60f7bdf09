package dev.orchard.core.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Oniguruma-flavoured regexes of tokenizer.json with java.util.regex. With
 * UNICODE_CHARACTER_CLASS, {@code \s}, {@code \w} and {@code \d} are Unicode classes as in Oniguruma; script names
 * written bare ({@code \p{Han}}) are rewritten to Java's {@code \p{IsHan}}.
 */
final class Regexes {

    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final Pattern SCRIPT = Pattern.compile("\\\\([pP])\\{(Han|Hiragana|Katakana|Hangul|Latin|Cyrillic|Greek|Arabic|Hebrew|Thai|Devanagari)\\}");

    private Regexes() {
    }

    static Pattern compile(String regex, String where) {
        String java = SCRIPT.matcher(regex).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group(1) + "{Is" + m.group(2) + "}"));
        try {
            return Pattern.compile(java, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new TokenizerFormatException(where + ": regex cannot be compiled: " + e.getDescription() + " in " + regex, e);
        }
    }
}
