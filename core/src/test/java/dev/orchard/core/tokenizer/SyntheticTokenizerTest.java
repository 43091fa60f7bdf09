package dev.orchard.core.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tokenizer random-weight models get: exactly their vocabulary size, lossless, and writable everywhere. */
class SyntheticTokenizerTest {

    private static final String TEXT = "Once upon a time, Lily's cat (aged 3) ate 12 apples; naïve café — 日本語 🍎!\n\tdone";

    @ParameterizedTest
    @ValueSource(ints = {258, 300, 2048, 49152, 100352})
    void hasExactlyTheVocabularySizeAndIsLossless(int vocab) {
        BpeTokenizer t = Tokenizers.synthetic(vocab, 1, 2);
        assertThat(t.vocabSize()).isEqualTo(vocab);
        int[] ids = t.encode(TEXT, true);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(t.decode(ids, true)).isEqualTo(TEXT);
        assertThat(t.eosId()).hasValue(2);
        for (int id : ids) {
            assertThat(id).isBetween(0, vocab - 1);
        }
    }

    @Test
    void mergesShortenCommonWordsAndChatMarkersAreSpecial() {
        BpeTokenizer t = Tokenizers.synthetic(49152, 1, 2);
        // enumerated merges compete like learned ones (" t" + "he" wins over " th" + "e"), but they do shorten text
        String english = " the cat sat on the mat and ate it";
        assertThat(t.encode(english, false).length).isLessThan(english.length() / 2);
        assertThat(t.encode(" the", false)).hasSizeLessThanOrEqualTo(2);
        assertThat(t.tokenId(ChatTemplate.END_OF_TURN)).isPresent();
        assertThat(t.isSpecial(t.tokenId(ChatTemplate.USER).getAsInt())).isTrue();
        assertThat(t.padId()).isPresent();
    }

    @Test
    void byteTokenizerLayoutForTheTinyPreset() {
        BpeTokenizer t = Tokenizers.synthetic(258, 256, 257);
        assertThat(t.encode("ab", false)).containsExactly('a', 'b');
        assertThat(t.bosId()).hasValue(256);
        assertThat(t.tokenId(ChatTemplate.END_OF_TURN)).isEmpty();
    }

    @Test
    void tooSmallAVocabularyIsAnError() {
        assertThatThrownBy(() -> Tokenizers.synthetic(200, 1, 2)).hasMessageContaining("at least 258");
        assertThatThrownBy(() -> Tokenizers.synthetic(300, 1, 300)).hasMessageContaining("outside");
    }

    @Test
    void survivesTokenizerJsonAndGgufMetadata(@TempDir Path dir) throws Exception {
        BpeTokenizer t = Tokenizers.synthetic(5000, 1, 2);
        Path json = dir.resolve("tokenizer.json");
        t.save(json);
        assertThat(Tokenizers.load(json).encode(TEXT, true)).containsExactly(t.encode(TEXT, true));

        Map<String, Object> md = Tokenizers.ggufMetadata(t, 5120, ChatTemplate.orchardDefault());
        assertThat(md.get("tokenizer.ggml.model")).isEqualTo("gpt2");
        assertThat(md.get("tokenizer.ggml.pre")).isEqualTo("qwen2");
        assertThat((List<?>) md.get("tokenizer.ggml.tokens")).hasSize(5120).element(5119).isEqualTo("[PAD5119]");
        assertThat((List<?>) md.get("tokenizer.ggml.token_type")).element(5119).isEqualTo(5);
        assertThat(md.get("tokenizer.ggml.bos_token_id")).isEqualTo(1);
        assertThat(md.get("tokenizer.ggml.add_bos_token")).isEqualTo(true);
        assertThat(md.get("tokenizer.chat_template")).isEqualTo(ChatTemplate.orchardDefault().source());
        Map<String, Object> asRead = new LinkedHashMap<>();
        md.forEach((k, v) -> asRead.put(k, v instanceof Integer i ? i.longValue()
                : v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Integer
                ? l.stream().map(x -> ((Integer) x).longValue()).toList() : v));
        BpeTokenizer back = Tokenizers.fromGgufMetadata(asRead);
        assertThat(back.encode(TEXT, true)).containsExactly(t.encode(TEXT, true));
        assertThat(back.decode(back.encode(TEXT, true), true)).isEqualTo(TEXT);
    }
}
