package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tokenizer.json decoder chain, applied to token pieces held as bytes (so that byte-fallback and byte-level
 * tokens that split a character survive until the final UTF-8 decoding).
 *
 * <p>Steps see the index of each piece because two of Hugging Face's decoders treat the first token differently:
 * Metaspace drops ▁ from the first token, and Strip after Fuse strips the start of the whole text.
 */
final class Decoder {

    private interface Step {
        List<byte[]> apply(List<byte[]> pieces);
    }

    private final List<Step> steps;
    /** The steps that act on each token alone, in mid-text position; used for {@link #tokenBytes}. */
    private final List<Step> perToken;

    private Decoder(List<Step> steps, List<Step> perToken) {
        this.steps = steps;
        this.perToken = perToken;
    }

    static Decoder fromJson(JsonNode node) {
        List<Step> steps = new ArrayList<>();
        List<Step> perToken = new ArrayList<>();
        add(node, steps, perToken);
        return new Decoder(steps, perToken);
    }

    private static void add(JsonNode node, List<Step> steps, List<Step> perToken) {
        if (Json.isNull(node)) {
            return;
        }
        String type = Json.type(node, "decoder");
        String where = "decoder " + type;
        switch (type) {
            case "Sequence" -> {
                JsonNode list = node.get("decoders");
                if (list == null || !list.isArray()) {
                    throw new TokenizerFormatException("decoder Sequence needs a \"decoders\" array");
                }
                for (JsonNode n : list) {
                    add(n, steps, perToken);
                }
            }
            case "ByteLevel" -> {
                Step s = map(Decoder::byteLevel);
                steps.add(s);
                perToken.add(s);
            }
            case "ByteFallback" -> {
                Step s = map(Decoder::byteFallback);
                steps.add(s);
                perToken.add(s);
            }
            case "Fuse" -> steps.add(pieces -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                pieces.forEach(out::writeBytes);
                return new ArrayList<>(List.of(out.toByteArray()));
            });
            case "Replace" -> {
                java.util.regex.Pattern pattern = Json.pattern(node, where);
                String content = Json.text(node, "content", where);
                String replacement = java.util.regex.Matcher.quoteReplacement(content);
                Step s = map(b -> {
                    String text = new String(b, StandardCharsets.UTF_8);
                    if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), b)) {
                        return b; // a lone byte piece: nothing to replace, keep its bytes intact
                    }
                    return pattern.matcher(text).replaceAll(replacement).getBytes(StandardCharsets.UTF_8);
                });
                steps.add(s);
                perToken.add(s);
            }
            case "Strip" -> {
                String content = Json.text(node, "content", where);
                int start = node.path("start").asInt(0);
                int stop = node.path("stop").asInt(0);
                byte[] c = content.getBytes(StandardCharsets.UTF_8);
                steps.add(map(b -> strip(b, c, start, stop)));
                // Not per token: in mid-text a Strip after Fuse never sees the token alone.
            }
            case "Metaspace" -> {
                String replacement = Json.text(node, "replacement", where);
                String scheme = PreTokenizer.Metaspace.prependScheme(node);
                byte[] r = replacement.getBytes(StandardCharsets.UTF_8);
                steps.add(pieces -> {
                    List<byte[]> out = new ArrayList<>(pieces.size());
                    for (int i = 0; i < pieces.size(); i++) {
                        out.add(replaceBytes(pieces.get(i), r, i == 0 && !scheme.equals("never") ? new byte[0] : new byte[] {' '}));
                    }
                    return out;
                });
                perToken.add(map(b -> replaceBytes(b, r, new byte[] {' '})));
            }
            default -> throw new TokenizerFormatException("unsupported decoder type \"" + type
                    + "\" (supported: Sequence, ByteLevel, ByteFallback, Fuse, Replace, Strip, Metaspace)");
        }
    }

    private static Step map(java.util.function.UnaryOperator<byte[]> f) {
        return pieces -> {
            List<byte[]> out = new ArrayList<>(pieces.size());
            for (byte[] p : pieces) {
                out.add(f.apply(p));
            }
            return out;
        };
    }

    /** Byte-level characters back to bytes; a token with characters outside the alphabet keeps its UTF-8. */
    private static byte[] byteLevel(byte[] utf8) {
        String text = new String(utf8, StandardCharsets.UTF_8);
        if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), utf8)) {
            return utf8;
        }
        byte[] bytes = ByteLevel.decode(text);
        return bytes != null ? bytes : utf8;
    }

    /** {@code <0xNN>} to the byte NN. */
    private static byte[] byteFallback(byte[] b) {
        if (b.length == 6 && b[0] == '<' && b[1] == '0' && b[2] == 'x' && b[5] == '>') {
            int hi = Character.digit(b[3], 16);
            int lo = Character.digit(b[4], 16);
            if (hi >= 0 && lo >= 0) {
                return new byte[] {(byte) (hi * 16 + lo)};
            }
        }
        return b;
    }

    private static byte[] strip(byte[] b, byte[] c, int start, int stop) {
        int from = 0;
        for (int i = 0; i < start && startsWith(b, from, c); i++) {
            from += c.length;
        }
        int to = b.length;
        for (int i = 0; i < stop && to - c.length >= from && startsWith(b, to - c.length, c); i++) {
            to -= c.length;
        }
        return Arrays.copyOfRange(b, from, to);
    }

    private static boolean startsWith(byte[] b, int at, byte[] c) {
        if (at + c.length > b.length) {
            return false;
        }
        for (int i = 0; i < c.length; i++) {
            if (b[at + i] != c[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] replaceBytes(byte[] b, byte[] from, byte[] to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        int i = 0;
        while (i < b.length) {
            if (startsWith(b, i, from)) {
                out.writeBytes(to);
                i += from.length;
            } else {
                out.write(b[i++]);
            }
        }
        return out.toByteArray();
    }

    /** The bytes of one token in the middle of a text (no start-of-text rules). */
    byte[] tokenBytes(String token) {
        List<byte[]> pieces = new ArrayList<>(List.of(token.getBytes(StandardCharsets.UTF_8)));
        for (Step s : perToken) {
            pieces = s.apply(pieces);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Decodes a whole sequence of token strings to bytes, as Hugging Face's decode_chain does. */
    byte[] decode(List<String> tokens) {
        List<byte[]> pieces = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            pieces.add(t.getBytes(StandardCharsets.UTF_8));
        }
        for (Step s : steps) {
            pieces = s.apply(pieces);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
