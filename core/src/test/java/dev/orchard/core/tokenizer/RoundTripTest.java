package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * decode(encode(text)) == text for any valid Unicode text, and the tokens' bytes concatenate to the text's UTF-8
 * bytes, on both reference vocabularies (byte-level; SentencePiece with byte fallback).
 */
class RoundTripTest {

    static Stream<Path> vocabs() throws Exception {
        return VocabCases.all().stream();
    }

    /** Random valid Unicode: ASCII, Latin, CJK, emoji, combining marks, controls, all planes (no lone surrogates). */
    static String randomText(Random rnd, int maxCodePoints) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(maxCodePoints + 1);
        for (int i = 0; i < n; i++) {
            int cp = switch (rnd.nextInt(8)) {
                case 0 -> rnd.nextInt(0x80);                       // ASCII incl. controls
                case 1 -> " \t\n\r".charAt(rnd.nextInt(4));
                case 2 -> 0x80 + rnd.nextInt(0x780);               // Latin, Greek, Cyrillic, combining marks
                case 3 -> 0x4E00 + rnd.nextInt(0x5000);            // CJK
                case 4 -> 0x1F300 + rnd.nextInt(0x300);            // emoji
                case 5 -> 0x300 + rnd.nextInt(0x70);               // combining diacritics
                case 6 -> 'a' + rnd.nextInt(26);
                default -> rnd.nextInt(0x110000);                   // anything, even unassigned
            };
            if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0x2581) {
                cp = 'x'; // no lone surrogates; and SentencePiece cannot tell a written ▁ from a space
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    @ParameterizedTest
    @MethodSource("vocabs")
    void randomUnicodeRoundTrips(Path gguf) throws Exception {
        BpeTokenizer t = Tokenizers.load(gguf);
        Random rnd = new Random(7);
        for (int i = 0; i < 3000; i++) {
            String text = randomText(rnd, 40);
            int[] ids = t.encode(text, false, false);
            assertThat(t.decode(ids)).as("round trip of %s", ScannerTest.escape(text)).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @MethodSource("vocabs")
    void randomBytesRoundTripThroughTheReplacementCharacter(Path gguf) throws Exception {
        BpeTokenizer t = Tokenizers.load(gguf);
        Random rnd = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[rnd.nextInt(30)];
            rnd.nextBytes(bytes);
            // Invalid sequences become U+FFFD when the bytes become a Java string; that string round-trips.
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(t.decode(t.encode(text, false, false))).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @MethodSource("vocabs")
    void byteTokensSpellingInvalidUtf8DecodeWithoutFailing(Path gguf) throws Exception {
        BpeTokenizer t = Tokenizers.load(gguf);
        // Encode single bytes via their tokens, then decode arbitrary byte-token sequences (often invalid UTF-8).
        int[] byteToken = new int[256];
        for (int b = 0; b < 256; b++) {
            String name = t.model().byteLevel() ? String.valueOf(ByteLevel.charOf(b)) : BpeModel.byteTokenName(b);
            byteToken[b] = t.tokenId(name).orElseThrow();
            assertThat(t.tokenBytes(byteToken[b])).containsExactly((byte) b);
        }
        Random rnd = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[1 + rnd.nextInt(12)];
            rnd.nextBytes(bytes);
            int[] ids = new int[bytes.length];
            ByteArrayOutputStream concat = new ByteArrayOutputStream();
            for (int k = 0; k < bytes.length; k++) {
                ids[k] = byteToken[bytes[k] & 0xFF];
                concat.writeBytes(t.tokenBytes(ids[k]));
            }
            assertThat(concat.toByteArray()).isEqualTo(bytes);
            String expected = new String(bytes, StandardCharsets.UTF_8);
            String decoded = t.decode(ids);
            if (t.model().byteLevel()) {
                assertThat(decoded).isEqualTo(expected);
            } else if (bytes[0] == ' ') { // SentencePiece decoding drops the space it prepends
                assertThat(decoded).isEqualTo(expected.substring(1));
            } else {
                assertThat(decoded).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("vocabs")
    void tokenBytesConcatenateToTheUtf8OfTheText(Path gguf) throws Exception {
        BpeTokenizer t = Tokenizers.load(gguf);
        Random rnd = new Random(5);
        for (int i = 0; i < 1000; i++) {
            String text = randomText(rnd, 30);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int id : t.encode(text, false, false)) {
                out.writeBytes(t.tokenBytes(id));
            }
            String expected = t.model().byteLevel() || text.isEmpty() ? text : " " + text; // SentencePiece's ▁ prefix
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }
}
