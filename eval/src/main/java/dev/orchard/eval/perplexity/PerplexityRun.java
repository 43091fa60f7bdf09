package dev.orchard.eval.perplexity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.JsonLines;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reading perplexity inputs and writing its summary and per-token dump. */
public final class PerplexityRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PerplexityRun() {
    }

    /**
     * The documents of an input file: a {@code .jsonl} file holds one document per line in its {@code text} field;
     * any other file is one document.
     */
    public static List<String> readTexts(Path file) throws IOException {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                throw new IllegalArgumentException(file + " is empty");
            }
            return List.of(text);
        }
        List<String> out = new ArrayList<>();
        JsonLines.forEach(file, (lineNo, n) -> {
            if (n == null || !n.path("text").isTextual()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": needs a string field 'text'");
            }
            if (!n.get("text").asText().isEmpty()) {
                out.add(n.get("text").asText());
            }
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no documents");
        }
        return out;
    }

    /** The summary printed on stdout: perplexity, bits_per_byte, tokens, bytes and the settings. */
    public static ObjectNode summary(Perplexity.Result r, Perplexity.Options options, String model) {
        ObjectNode n = JSON.createObjectNode();
        n.put("perplexity", r.perplexity());
        n.put("bits_per_byte", r.bitsPerByte());
        n.put("tokens", r.tokens());
        n.put("bytes", r.bytes());
        n.put("documents", r.documents());
        n.put("context", options.context());
        n.put("stride", options.stride());
        n.put("model", model);
        return n;
    }

    /**
     * Writes every document's tokens, their text pieces and losses (null where unscored) as JSON Lines, one
     * document per line, so two models' dumps on the same tokenizer can be compared token by token.
     */
    public static void writeDump(Path file, Tokenizer tokenizer, List<Perplexity.DocumentScore> docs)
            throws IOException {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < docs.size(); d++) {
            Perplexity.DocumentScore doc = docs.get(d);
            ObjectNode n = JSON.createObjectNode();
            n.put("doc", d);
            ArrayNode tokens = n.putArray("tokens");
            ArrayNode pieces = n.putArray("pieces");
            for (int t : doc.tokens()) {
                tokens.add(t);
                pieces.add(new String(tokenizer.tokenBytes(t), StandardCharsets.UTF_8));
            }
            ArrayNode losses = n.putArray("losses");
            losses.addNull(); // the first token is never predicted
            for (double l : doc.losses()) {
                if (Double.isNaN(l)) {
                    losses.addNull();
                } else {
                    losses.add(l);
                }
            }
            b.append(JSON.writeValueAsString(n)).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }
}
