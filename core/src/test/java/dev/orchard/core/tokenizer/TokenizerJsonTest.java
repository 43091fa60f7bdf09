package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small hand-made tokenizer.json files, one per normalizer / pre-tokenizer / added-token feature, with expected ids
 * worked out by hand from Hugging Face's documented behaviour.
 */
class TokenizerJsonTest {

    // ---- SentencePiece-style vocabularies ----------------------------------------------------------------------

    private static final String SPM_MODEL = """
            "model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true,
              "vocab": {"<unk>": 0, "▁": 1, "a": 2, "b": 3, "▁a": 4, "ab": 5, "▁ab": 6, "<0x21>": 7, "<0xE2>": 8,
                        "<0x82>": 9, "<0xAC>": 10},
              "merges": ["▁ a", "a b", "▁a b"]}""";

    @Test
    void metaspacePreTokenizerWithByteFallback() {
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString("""
                {"pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
                 "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"},
                    {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}]},
                """ + SPM_MODEL + "}");
        // "▁ab▁ab!" splits before each ▁; (▁,a) has rank 0, then (▁a,b); "!" is not in the vocab: <0x21>.
        assertThat(t.encode("ab ab!")).containsExactly(6, 6, 7);
        // "€" (E2 82 AC) falls back to three byte tokens; "c" has neither a token nor a byte token: <unk>, fused.
        assertThat(t.encode("a€cc")).containsExactly(4, 8, 9, 10, 0);
        assertThat(t.decode(new int[] {6, 6, 7})).isEqualTo("ab ab!");
        assertThat(t.decode(new int[] {4, 8, 9, 10})).isEqualTo("a€");
    }

    @Test
    void prependAndReplaceNormalizersWithoutPreTokenizer() {
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString("""
                {"normalizer": {"type": "Sequence", "normalizers": [
                    {"type": "Prepend", "prepend": "▁"},
                    {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
                 "pre_tokenizer": null,
                 "decoder": {"type": "Sequence", "decoders": [
                    {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
                    {"type": "ByteFallback"}, {"type": "Fuse"},
                    {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
                """ + SPM_MODEL + "}");
        // One piece "▁ab▁ab": (▁,a) merges at both places, leftmost first, then (▁a,b) twice.
        assertThat(t.encode("ab ab")).containsExactly(6, 6);
        // Two leading spaces: "▁▁ab" -> ▁ then ▁ab.
        assertThat(t.encode(" ab")).containsExactly(1, 6);
        assertThat(t.encode("")).isEmpty();
        assertThat(t.decode(t.encode(" ab"))).isEqualTo(" ab");
        assertThat(t.decode(new int[] {6, 6})).isEqualTo("ab ab");
        // Mid-text bytes keep the space; only decode() strips the one SentencePiece prepended.
        assertThat(new String(t.tokenBytes(6))).isEqualTo(" ab");
    }

    @Test
    void metaspacePrependFirstOnlyAtTheStartOfTheText() {
        String json = """
                {"added_tokens": [{"id": 11, "content": "<s>", "special": true, "normalized": false}],
                 "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false},
                """ + SPM_MODEL.replace("\"<0xAC>\": 10}", "\"<0xAC>\": 10, \"<s>\": 11}") + "}";
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString(json);
        assertThat(t.encode("ab<s>ab")).containsExactly(6, 11, 5);
        BpeTokenizer always = Tokenizers.fromTokenizerJsonString(json.replace("\"first\"", "\"always\""));
        assertThat(always.encode("ab<s>ab")).containsExactly(6, 11, 6);
    }

    // ---- byte-level vocabularies ------------------------------------------------------------------------------

    /** A byte-level model whose first 256 ids are the bytes, plus extra tokens and merges. */
    private static ObjectNode byteLevel(List<String> extra, List<String> merges, boolean ignoreMerges) {
        ObjectNode root = Json.object();
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.put("ignore_merges", ignoreMerges);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(ByteLevel.charOf(b)), b);
        }
        int id = 256;
        for (String t : extra) {
            vocab.put(t, id++);
        }
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        root.set("decoder", json("{\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true}"));
        return root;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void digitsIndividualThenByteLevel() {
        ObjectNode root = byteLevel(List.of("12", "Ġa"), List.of("1 2", "Ġ a"), false);
        root.set("pre_tokenizer", json("""
                {"type": "Sequence", "pretokenizers": [
                  {"type": "Digits", "individual_digits": true},
                  {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}]}"""));
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString(root.toString());
        // Digits are isolated, so the merge "1 2" never applies; " a" is one GPT-2 piece, merged to "Ġa".
        assertThat(t.encode("12 a")).containsExactly('1', '2', 257);
        root.set("pre_tokenizer", json("{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true}"));
        BpeTokenizer plain = Tokenizers.fromTokenizerJsonString(root.toString());
        assertThat(plain.encode("12 a")).containsExactly(256, 257);
        assertThat(plain.decode(new int[] {256, 257})).isEqualTo("12 a");
        List<String> pieces = new ArrayList<>();
        PreTokenizer.fromJson(json("{\"type\": \"Digits\", \"individual_digits\": false}"))
                .split("a123b45", true, (piece, atStart) -> pieces.add(piece));
        assertThat(pieces).containsExactly("a", "123", "b", "45");
    }

    @Test
    void byteLevelAddPrefixSpace() {
        ObjectNode root = byteLevel(List.of("Ġa"), List.of("Ġ a"), false);
        root.set("pre_tokenizer", json("{\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"use_regex\": true}"));
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString(root.toString());
        assertThat(t.encode("a")).containsExactly(256);
        assertThat(t.encode(" a")).containsExactly(256);
    }

    @Test
    void llama3SplitWithIgnoreMerges() {
        String pre = """
                {"type": "Sequence", "pretokenizers": [
                  {"type": "Split", "pattern": {"Regex": %s}, "behavior": "Isolated", "invert": false},
                  {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}"""
                .formatted(Json.MAPPER.valueToTree(Regexes.LLAMA3).toString());
        // "Ġhello" is in the vocab but no merge chain makes it; "he" is mergeable.
        ObjectNode root = byteLevel(List.of("Ġhello", "he"), List.of("h e"), true);
        root.set("pre_tokenizer", json(pre));
        BpeTokenizer ignore = Tokenizers.fromTokenizerJsonString(root.toString());
        assertThat(ignore.encode(" hello")).containsExactly(256);
        ((ObjectNode) root.get("model")).put("ignore_merges", false);
        BpeTokenizer merge = Tokenizers.fromTokenizerJsonString(root.toString());
        assertThat(merge.encode(" hello")).containsExactly(' ', 257, 'l', 'l', 'o');
        // The Llama-3 split keeps digits in threes.
        assertThat(merge.encode("12345")).containsExactly('1', '2', '3', '4', '5');
    }

    @Test
    void nfcAndLowercaseNormalizers() {
        ObjectNode root = byteLevel(List.of(), List.of(), false);
        root.set("normalizer", json("{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"}, {\"type\": \"Lowercase\"}]}"));
        root.set("pre_tokenizer", json("{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true}"));
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString(root.toString());
        // "E" + combining acute -> NFC "É" -> lowercase "é" = C3 A9.
        assertThat(t.encode("E\u0301")).containsExactly(0xC3, 0xA9);
        assertThat(t.decode(t.encode("E\u0301"))).isEqualTo("é");
    }

    @Test
    void addedTokensHonourLstripRstripSingleWordAndSpecial() {
        ObjectNode root = byteLevel(List.of(), List.of(), false);
        root.set("pre_tokenizer", json("{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true}"));
        root.set("added_tokens", json("""
                [{"id": 300, "content": "<L>", "lstrip": true, "normalized": false, "special": false},
                 {"id": 301, "content": "<R>", "rstrip": true, "normalized": false, "special": false},
                 {"id": 302, "content": "<W>", "single_word": true, "normalized": false, "special": false},
                 {"id": 303, "content": "<|end|>", "normalized": false, "special": true},
                 {"id": 304, "content": "<|end|>x", "normalized": false, "special": true}]"""));
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString(root.toString());
        assertThat(t.encode("a <L> b")).containsExactly('a', 300, ' ', 'b');
        assertThat(t.encode("a <R> b")).containsExactly('a', ' ', 301, 'b');
        assertThat(t.encode("a <W> b")).containsExactly('a', ' ', 302, ' ', 'b');
        assertThat(t.encode("a<W>b")).containsExactly('a', '<', 'W', '>', 'b');
        // Longest match wins; special tokens are text when not parsed.
        assertThat(t.encode("<|end|>x<|end|>")).containsExactly(304, 303);
        assertThat(t.encode("<|end|>", false, false)).containsExactly('<', '|', 'e', 'n', 'd', '|', '>');
        assertThat(t.encode("<L>", false, false)).containsExactly(300);
        assertThat(t.isSpecial(303)).isTrue();
        assertThat(t.isSpecial(300)).isFalse();
        assertThat(t.decode(new int[] {'a', 303, 'b'}, true)).isEqualTo("ab");
        assertThat(t.decode(new int[] {'a', 303, 'b'}, false)).isEqualTo("a<|end|>b");
        assertThat(t.vocabSize()).isEqualTo(305);
        assertThat(t.tokenId("<|end|>")).hasValue(303);
    }

    @Test
    void templatePostProcessorAddsBosAndEos() {
        ObjectNode root = byteLevel(List.of(), List.of(), false);
        root.set("pre_tokenizer", json("{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true}"));
        root.set("added_tokens", json("""
                [{"id": 256, "content": "<s>", "normalized": false, "special": true},
                 {"id": 257, "content": "</s>", "normalized": false, "special": true}]"""));
        root.set("post_processor", json("""
                {"type": "TemplateProcessing",
                 "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                            {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                 "pair": [], "special_tokens": {"<s>": {"id": "<s>", "ids": [256], "tokens": ["<s>"]},
                                                "</s>": {"id": "</s>", "ids": [257], "tokens": ["</s>"]}}}"""));
        BpeTokenizer t = Tokenizers.fromTokenizerJsonString(root.toString());
        assertThat(t.encode("a", true)).containsExactly(256, 'a', 257);
        assertThat(t.encode("a", false)).containsExactly('a');
        assertThat(t.addsBos()).isTrue();
        assertThat(t.bosId()).hasValue(256);
        assertThat(t.eosId()).hasValue(257);
        BpeTokenizer noEos = t.withSpecialTokens(256, 257, -1, true, false);
        assertThat(noEos.encode("a", true)).containsExactly(256, 'a');
        BpeTokenizer reloaded = Tokenizers.fromTokenizerJsonString(noEos.toJson());
        assertThat(reloaded.encode("a", true)).containsExactly(256, 'a');
    }

    // ---- Split behaviours --------------------------------------------------------------------------------------

    private static List<String> split(String behavior, boolean invert, String text) {
        PreTokenizer p = PreTokenizer.fromJson(json("""
                {"type": "Split", "pattern": {"String": "-"}, "behavior": "%s", "invert": %s}""".formatted(behavior, invert)));
        List<String> out = new ArrayList<>();
        p.split(text, true, (piece, atStart) -> out.add(piece));
        return out;
    }

    @Test
    void splitBehaviours() {
        assertThat(split("Removed", false, "a-b--c")).containsExactly("a", "b", "c");
        assertThat(split("Isolated", false, "a-b--c")).containsExactly("a", "-", "b", "-", "-", "c");
        assertThat(split("MergedWithPrevious", false, "a-b--c")).containsExactly("a-", "b-", "-", "c");
        assertThat(split("MergedWithNext", false, "a-b--c")).containsExactly("a", "-b", "-", "-c");
        assertThat(split("Contiguous", false, "a-b--c")).containsExactly("a", "-", "b", "--", "c");
        assertThat(split("Removed", true, "a-b--c")).containsExactly("-", "-", "-");
    }

    // ---- malformed files ---------------------------------------------------------------------------------------

    @Test
    void malformedFilesGiveClearErrors() {
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString("{\"version\": \"1.0\"}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("no \"model\"");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("\"WordPiece\" is not supported");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString(
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"ab\": 1}, \"merges\": [\"a b\"]}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("unknown token \"b\"");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString(
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [[\"a\", \"b\"]]}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("\"ab\", which is not in the vocab");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString(
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a\"]}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("not two tokens");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString(
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("no \"merges\"");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString(
                "{\"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}, \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("unsupported pre_tokenizer type \"BertPreTokenizer\"");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString(
                "{\"normalizer\": {\"type\": \"BertNormalizer\"}, \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("unsupported normalizer type \"BertNormalizer\"");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString("{\"model\": "))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJsonString(
                "{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(\"}, \"behavior\": \"Isolated\"},"
                        + " \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("regex cannot be compiled");
    }
}
