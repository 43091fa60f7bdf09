package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A tokenizer.json normalizer: rewrites text before pre-tokenization. */
@FunctionalInterface
interface Normalizer {

    String normalize(String text);

    /** Builds the normalizer a tokenizer.json "normalizer" entry describes (null or JSON null: none). */
    static Normalizer fromJson(JsonNode node) {
        if (Json.isNull(node)) {
            return null;
        }
        String type = Json.type(node, "normalizer");
        String where = "normalizer " + type;
        return switch (type) {
            case "Sequence" -> {
                JsonNode list = node.get("normalizers");
                if (list == null || !list.isArray()) {
                    throw new TokenizerFormatException("normalizer Sequence needs a \"normalizers\" array");
                }
                List<Normalizer> steps = new ArrayList<>();
                for (JsonNode n : list) {
                    Normalizer step = fromJson(n);
                    if (step != null) {
                        steps.add(step);
                    }
                }
                yield text -> {
                    for (Normalizer step : steps) {
                        text = step.normalize(text);
                    }
                    return text;
                };
            }
            case "NFC" -> text -> java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC);
            case "NFD" -> text -> java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD);
            case "NFKC" -> text -> java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
            case "NFKD" -> text -> java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> text -> text.toLowerCase(Locale.ROOT);
            case "Prepend" -> {
                String prepend = Json.text(node, "prepend", where);
                yield text -> text.isEmpty() ? text : prepend + text;
            }
            case "Append" -> {
                String append = Json.text(node, "append", where);
                yield text -> text.isEmpty() ? text : text + append;
            }
            case "Replace" -> {
                Pattern pattern = Json.pattern(node, where);
                String content = Json.text(node, "content", where);
                String replacement = Matcher.quoteReplacement(content);
                yield text -> pattern.matcher(text).replaceAll(replacement);
            }
            case "Strip" -> {
                boolean left = Json.bool(node, "strip_left", true);
                boolean right = Json.bool(node, "strip_right", true);
                yield text -> strip(text, left, right);
            }
            default -> throw new TokenizerFormatException("unsupported normalizer type \"" + type
                    + "\" (supported: Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Append, Replace, Strip)");
        };
    }

    private static String strip(String text, boolean left, boolean right) {
        int start = 0;
        int end = text.length();
        while (left && start < end && Character.isWhitespace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (right && end > start && Character.isWhitespace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }
}
