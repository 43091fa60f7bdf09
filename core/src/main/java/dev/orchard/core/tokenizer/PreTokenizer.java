package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A tokenizer.json pre-tokenizer: cuts normalized text into pieces that the BPE model encodes one by one.
 *
 * <p>{@code atStart} tells whether a piece begins at offset 0 of the original text, which Metaspace's
 * {@code prepend_scheme: "first"} needs. A pipeline that ends in ByteLevel is {@link #byteLevel()}: its pieces
 * are raw text, which the byte-level model reads as UTF-8 bytes (the same thing as mapping them to GPT-2's byte
 * alphabet first, without building those strings).
 */
interface PreTokenizer {

    @FunctionalInterface
    interface Sink {
        void accept(String piece, boolean atStart);
    }

    void split(String text, boolean atStart, Sink sink);

    default boolean byteLevel() {
        return false;
    }

    static PreTokenizer fromJson(JsonNode node) {
        if (Json.isNull(node)) {
            return null;
        }
        String type = Json.type(node, "pre_tokenizer");
        String where = "pre_tokenizer " + type;
        return switch (type) {
            case "Sequence" -> {
                JsonNode list = node.get("pretokenizers");
                if (list == null || !list.isArray()) {
                    throw new TokenizerFormatException("pre_tokenizer Sequence needs a \"pretokenizers\" array");
                }
                List<PreTokenizer> steps = new ArrayList<>();
                for (JsonNode n : list) {
                    PreTokenizer step = fromJson(n);
                    if (step != null) {
                        steps.add(step);
                    }
                }
                for (int i = 0; i < steps.size() - 1; i++) {
                    if (steps.get(i).byteLevel()) {
                        throw new TokenizerFormatException("pre_tokenizer ByteLevel is supported only as the last step of a Sequence");
                    }
                }
                yield new Sequence(steps);
            }
            case "ByteLevel" -> {
                boolean prefix = Json.bool(node, "add_prefix_space", false);
                boolean useRegex = Json.bool(node, "use_regex", true);
                yield new ByteLevelSplit(prefix, useRegex ? new Scanner.Gpt2() : null);
            }
            case "Split" -> {
                JsonNode p = node.get("pattern");
                if (p == null || !p.isObject() || !(p.has("String") || p.has("Regex"))) {
                    throw new TokenizerFormatException(where + " needs a \"pattern\" with \"String\" or \"Regex\"");
                }
                Scanner scanner = p.has("Regex") ? Scanner.of(p.get("Regex").asText(), where)
                        : Scanner.regex(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(p.get("String").asText())));
                yield new Split(scanner, Behavior.parse(Json.text(node, "behavior", where)), Json.bool(node, "invert", false));
            }
            case "Digits" -> {
                boolean individual = Json.bool(node, "individual_digits", false);
                Scanner digits = Split::numericChars;
                yield new Split(digits, individual ? Behavior.ISOLATED : Behavior.CONTIGUOUS, false);
            }
            case "Metaspace" -> {
                String replacement = Json.text(node, "replacement", where);
                if (replacement.codePointCount(0, replacement.length()) != 1) {
                    throw new TokenizerFormatException(where + ": replacement must be one character");
                }
                yield new Metaspace(replacement, Metaspace.prependScheme(node), Json.bool(node, "split", true));
            }
            case "WhitespaceSplit" -> new Split(Scanner.regex(java.util.regex.Pattern.compile("\\s+",
                    java.util.regex.Pattern.UNICODE_CHARACTER_CLASS)), Behavior.REMOVED, false);
            case "Whitespace" -> new Split(Scanner.regex(java.util.regex.Pattern.compile("\\w+|[^\\w\\s]+",
                    java.util.regex.Pattern.UNICODE_CHARACTER_CLASS)), Behavior.REMOVED, true);
            default -> throw new TokenizerFormatException("unsupported pre_tokenizer type \"" + type
                    + "\" (supported: Sequence, Split, ByteLevel, Digits, Metaspace, Whitespace, WhitespaceSplit)");
        };
    }

    /** How Split treats the matched parts (names as in tokenizer.json). */
    enum Behavior {
        REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

        static Behavior parse(String name) {
            return switch (name) {
                case "Removed" -> REMOVED;
                case "Isolated" -> ISOLATED;
                case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
                case "MergedWithNext" -> MERGED_WITH_NEXT;
                case "Contiguous" -> CONTIGUOUS;
                default -> throw new TokenizerFormatException("unknown Split behavior \"" + name
                        + "\" (Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)");
            };
        }
    }

    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink sink) {
            run(0, text, atStart, sink);
        }

        private void run(int step, String text, boolean atStart, Sink sink) {
            if (step == steps.size()) {
                sink.accept(text, atStart);
                return;
            }
            steps.get(step).split(text, atStart, (piece, start) -> run(step + 1, piece, start, sink));
        }

        @Override
        public boolean byteLevel() {
            return !steps.isEmpty() && steps.get(steps.size() - 1).byteLevel();
        }
    }

    /** Hugging Face's ByteLevel pre-tokenizer: optional prefix space, optional GPT-2 regex split. */
    record ByteLevelSplit(boolean addPrefixSpace, Scanner scanner) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink sink) {
            if (addPrefixSpace && !text.startsWith(" ")) {
                text = " " + text;
            }
            if (scanner == null) {
                sink.accept(text, atStart);
                return;
            }
            String s = text;
            scanner.scan(s, (start, end) -> sink.accept(s.substring(start, end), atStart && start == 0));
        }

        @Override
        public boolean byteLevel() {
            return true;
        }
    }

    /** Split by pattern matches, with Hugging Face's five behaviours and optional inversion. */
    record Split(Scanner scanner, Behavior behavior, boolean invert) implements PreTokenizer {

        static void numericChars(String s, Scanner.Sink sink) {
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int len = Character.charCount(cp);
                if (Scanner.classOf(cp) == Scanner.NUMBER) {
                    sink.match(i, i + len);
                }
                i += len;
            }
        }

        @Override
        public void split(String text, boolean atStart, Sink sink) {
            if (behavior == Behavior.ISOLATED && !invert) {
                // Common case (Llama-3, Qwen2): every match and every gap is a piece.
                int[] last = {0};
                scanner.scan(text, (start, end) -> {
                    if (start > last[0]) {
                        sink.accept(text.substring(last[0], start), atStart && last[0] == 0);
                    }
                    sink.accept(text.substring(start, end), atStart && start == 0);
                    last[0] = end;
                });
                if (last[0] < text.length()) {
                    sink.accept(text.substring(last[0]), atStart && last[0] == 0);
                }
                return;
            }
            // General case: list (start, end, isMatch) covering the text, then combine as the behaviour says.
            List<int[]> parts = new ArrayList<>();
            int[] last = {0};
            scanner.scan(text, (start, end) -> {
                if (start > last[0]) {
                    parts.add(new int[] {last[0], start, invert ? 1 : 0});
                }
                parts.add(new int[] {start, end, invert ? 0 : 1});
                last[0] = end;
            });
            if (last[0] < text.length()) {
                parts.add(new int[] {last[0], text.length(), invert ? 1 : 0});
            }
            List<int[]> pieces = new ArrayList<>();
            switch (behavior) {
                case REMOVED -> {
                    for (int[] p : parts) {
                        if (p[2] == 0) {
                            pieces.add(p);
                        }
                    }
                }
                case ISOLATED -> pieces.addAll(parts);
                case MERGED_WITH_PREVIOUS -> {
                    boolean previousMatch = false;
                    for (int[] p : parts) {
                        if (p[2] == 1 && !previousMatch && !pieces.isEmpty()) {
                            pieces.get(pieces.size() - 1)[1] = p[1];
                        } else {
                            pieces.add(p.clone());
                        }
                        previousMatch = p[2] == 1;
                    }
                }
                case MERGED_WITH_NEXT -> {
                    boolean previousMatch = false;
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        int[] p = parts.get(i);
                        if (p[2] == 1 && !previousMatch && !pieces.isEmpty()) {
                            pieces.get(pieces.size() - 1)[0] = p[0];
                        } else {
                            pieces.add(p.clone());
                        }
                        previousMatch = p[2] == 1;
                    }
                    java.util.Collections.reverse(pieces);
                }
                case CONTIGUOUS -> {
                    boolean previousMatch = false;
                    for (int[] p : parts) {
                        if (p[2] == 1 == previousMatch && !pieces.isEmpty()) {
                            pieces.get(pieces.size() - 1)[1] = p[1];
                        } else {
                            pieces.add(p.clone());
                        }
                        previousMatch = p[2] == 1;
                    }
                }
            }
            for (int[] p : pieces) {
                if (p[1] > p[0]) {
                    sink.accept(text.substring(p[0], p[1]), atStart && p[0] == 0);
                }
            }
        }
    }

    /** SentencePiece-style: spaces become ▁, a ▁ is prepended, and the text is split before each ▁. */
    record Metaspace(String replacement, String prependScheme, boolean splitOn) implements PreTokenizer {

        static String prependScheme(JsonNode node) {
            JsonNode scheme = node.get("prepend_scheme");
            if (scheme != null && scheme.isTextual()) {
                String s = scheme.asText();
                if (!s.equals("always") && !s.equals("first") && !s.equals("never")) {
                    throw new TokenizerFormatException("Metaspace prepend_scheme must be always, first or never, not \"" + s + "\"");
                }
                return s;
            }
            return Json.bool(node, "add_prefix_space", true) ? "always" : "never";
        }

        @Override
        public void split(String text, boolean atStart, Sink sink) {
            text = text.replace(" ", replacement);
            boolean prepend = prependScheme.equals("always") || (prependScheme.equals("first") && atStart);
            if (prepend && !text.startsWith(replacement)) {
                text = replacement + text;
            }
            if (!splitOn) {
                sink.accept(text, atStart);
                return;
            }
            new Split(Scanner.regex(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(replacement))),
                    Behavior.MERGED_WITH_NEXT, false).split(text, atStart, sink);
        }
    }
}
