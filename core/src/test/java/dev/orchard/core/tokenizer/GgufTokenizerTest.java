package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchard.core.format.GgufFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GGUF metadata variants beyond the two reference vocabularies: pre-tokenizer names, missing keys. */
class GgufTokenizerTest {

    private static Map<String, Object> gpt2;

    @BeforeAll
    static void read() throws Exception {
        try (GgufFile f = GgufFile.open(VocabCases.testdata().resolve("ggml-vocab-gpt-2.gguf"))) {
            gpt2 = new HashMap<>(f.metadata());
        }
    }

    private static BpeTokenizer with(String pre) {
        Map<String, Object> md = new HashMap<>(gpt2);
        if (pre == null) {
            md.remove("tokenizer.ggml.pre");
        } else {
            md.put("tokenizer.ggml.pre", pre);
        }
        return Tokenizers.fromGgufMetadata(md);
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    @Test
    void defaultPreTokenizerSplitsDigitsInThreesAndPunctuationRuns() {
        for (String pre : new String[] {"default", null}) {
            BpeTokenizer t = with(pre);
            assertThat(t.encode("1234")).containsExactly(concat(t.encode("123"), t.encode("4")));
            assertThat(t.encode("a!!")).containsExactly(concat(t.encode("a"), t.encode("!!")));
        }
    }

    @Test
    void namedPreTokenizers() {
        BpeTokenizer llama3 = with("llama-bpe");
        assertThat(llama3.encode("12345")).containsExactly(concat(llama3.encode("123"), llama3.encode("45")));
        BpeTokenizer qwen2 = with("qwen2");
        assertThat(qwen2.encode("123")).containsExactly(concat(qwen2.encode("1"), qwen2.encode("2"), qwen2.encode("3")));
        BpeTokenizer smollm = with("smollm");
        assertThat(smollm.encode(" 42")).containsExactly(concat(smollm.encode(" "), smollm.encode("4"), smollm.encode("2")));
        assertThatThrownBy(() -> with("chatglm-bpe")).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("\"chatglm-bpe\" is not supported");
    }

    @Test
    void missingOrWrongMetadataIsReported() {
        Map<String, Object> md = new HashMap<>(gpt2);
        md.remove("tokenizer.ggml.model");
        assertThatThrownBy(() -> Tokenizers.fromGgufMetadata(md)).hasMessageContaining("tokenizer.ggml.model is missing");
        md.put("tokenizer.ggml.model", "bert");
        assertThatThrownBy(() -> Tokenizers.fromGgufMetadata(md)).hasMessageContaining("\"bert\" is not supported");
        md.put("tokenizer.ggml.model", "gpt2");
        md.put("tokenizer.ggml.token_type", List.of(1L));
        assertThatThrownBy(() -> Tokenizers.fromGgufMetadata(md)).hasMessageContaining("token_type has 1 entries");
        md.put("tokenizer.ggml.token_type", gpt2.get("tokenizer.ggml.token_type"));
        md.remove("tokenizer.ggml.merges");
        assertThatThrownBy(() -> Tokenizers.fromGgufMetadata(md)).hasMessageContaining("no tokenizer.ggml.merges");
    }

    @Test
    void specialIdsAndFlags() {
        BpeTokenizer t = with("gpt-2");
        assertThat(t.bosId()).hasValue(50256);
        assertThat(t.eosId()).hasValue(50256);
        assertThat(t.addsBos()).isFalse();
        assertThat(t.isSpecial(50256)).isTrue();
        assertThat(t.encode("<|endoftext|>")).containsExactly(50256);
        assertThat(t.encode("<|endoftext|>", false, false)).hasSizeGreaterThan(1);
    }
}
