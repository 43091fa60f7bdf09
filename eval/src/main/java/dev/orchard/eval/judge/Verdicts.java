package dev.orchard.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/**
 * Pulls the structured verdict out of a judge's free-form answer: the first balanced JSON object in the text (often
 * inside a Markdown code fence). Anything else is "no verdict", which callers count as unparsed, never as a crash.
 */
public final class Verdicts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Verdicts() {
    }

    /** The first JSON object in {@code text} that parses, if any. */
    public static Optional<JsonNode> firstJsonObject(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            int end = matchingBrace(text, start);
            if (end < 0) {
                return Optional.empty();
            }
            try {
                JsonNode node = JSON.readTree(text.substring(start, end + 1));
                if (node != null && node.isObject()) {
                    return Optional.of(node);
                }
            } catch (java.io.IOException e) {
                // not JSON after all; try the next '{'
            }
        }
        return Optional.empty();
    }

    /** Index of the brace closing the one at {@code start}, skipping braces inside strings; -1 if unbalanced. */
    private static int matchingBrace(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
