package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written scanners must find exactly the matches java.util.regex finds for the same pattern. */
class ScannerTest {

    /** Characters that exercise every branch: contractions, letters, numbers of all kinds, Unicode spaces, emoji. */
    private static final String[] ALPHABET = {
        "'", "'", "s", "t", "re", "ve", "m", "ll", "d", "S", "T", "RE", "Ve", "LL", "D", "\u017F", "a", "Z", "é", "ß",
        "ж", "中", "文", "ﾃ", "1", "7", "٣", "²", "Ⅻ", "½", " ", " ", " ", "\t", "\n", "\n", "\r", "\u000B", "\u000C",
        "\u00A0", "\u0085", "\u2028", "\u3000", "\u200B", ".", ",", "!", "?", "-", "(", ")", "\"", "_", "$", "@",
        "\u0301", "\uD83E\uDD99", "\uD83D\uDE00", "\u0378", "\uFEFF"
    };

    static String random(Random rnd, int maxLen) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(maxLen + 1);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET[rnd.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static List<String> matches(Scanner scanner, String text) {
        List<String> out = new ArrayList<>();
        scanner.scan(text, (s, e) -> out.add(s + ":" + e));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama3", "qwen2"})
    void fastScannerEqualsRegex(String name) {
        String regex = switch (name) {
            case "gpt2" -> Regexes.GPT2;
            case "llama3" -> Regexes.LLAMA3;
            default -> Regexes.QWEN2;
        };
        Scanner fast = Scanner.of(regex, "test");
        Scanner slow = Scanner.regex(Regexes.compile(regex, "test"));
        assertThat(fast.getClass().getSimpleName()).isIn("Gpt2", "Llama3");
        Random rnd = new Random(42);
        for (int i = 0; i < 30_000; i++) {
            String text = random(rnd, 24);
            assertThat(matches(fast, text)).as("matches in %s", escape(text)).isEqualTo(matches(slow, text));
        }
    }

    @Test
    void gpt2SplitsAsDocumented() {
        Scanner gpt2 = Scanner.of(Regexes.GPT2, "test");
        assertThat(pieces(gpt2, "Hello world's  3.14\n\n x")).containsExactly(
                "Hello", " world", "'s", " ", " 3", ".", "14", "\n\n", " x");
    }

    @Test
    void llama3GroupsDigitsByThreeAndKeepsNewlines() {
        Scanner llama3 = Scanner.of(Regexes.LLAMA3, "test");
        assertThat(pieces(llama3, "I'LL pay 1234567 now!\n\nOK")).containsExactly(
                "I", "'LL", " pay", " ", "123", "456", "7", " now", "!\n\n", "OK");
        Scanner qwen2 = Scanner.of(Regexes.QWEN2, "test");
        assertThat(pieces(qwen2, "x 2024")).containsExactly("x", " ", "2", "0", "2", "4");
    }

    private static List<String> pieces(Scanner scanner, String text) {
        List<String> out = new ArrayList<>();
        scanner.scan(text, (s, e) -> out.add(text.substring(s, e)));
        return out;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7E) {
                sb.append(String.format("\\u{%X}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
