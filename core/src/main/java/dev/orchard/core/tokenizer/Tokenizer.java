package dev.orchard.core.tokenizer;

import java.util.OptionalInt;

/**
 * Text to token ids and back. Implementations are immutable and thread-safe.
 *
 * <p>Decoding goes through bytes ({@link #tokenBytes(int)}) so that a streaming generator can hold back a
 * token that ends inside a multi-byte UTF-8 character.
 */
public interface Tokenizer {

    /** Number of token ids (the model's vocab_size may be larger). */
    int vocabSize();

    /**
     * Encodes text; {@code addSpecial} adds BOS/EOS as this tokenizer's configuration says. Special tokens written
     * in the text (e.g. {@code <|im_end|>}) are recognised, as Hugging Face tokenizers do.
     */
    int[] encode(String text, boolean addSpecial);

    /**
     * Encodes text; with {@code parseSpecial} false, special (control) tokens written in the text are encoded as
     * plain text, as llama.cpp does with {@code parse_special = false}. Non-special added tokens still match.
     */
    default int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        return encode(text, addSpecial);
    }

    /** Encodes text without BOS/EOS. */
    default int[] encode(String text) {
        return encode(text, false);
    }

    /** The bytes a token stands for when decoded (special tokens: their text). */
    byte[] tokenBytes(int id);

    /** Decodes ids to text; invalid UTF-8 sequences become U+FFFD. Special tokens are skipped if {@code skipSpecial}. */
    String decode(int[] ids, boolean skipSpecial);

    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** True for control tokens (BOS, EOS, chat markers) that decoding may skip. */
    boolean isSpecial(int id);

    OptionalInt bosId();

    /** The id of a token given its vocabulary text (e.g. a chat marker such as {@code <|im_end|>}), if any. */
    default OptionalInt tokenId(String token) {
        return OptionalInt.empty();
    }

    default OptionalInt padId() {
        return OptionalInt.empty();
    }

    OptionalInt eosId();

    /** Whether {@code encode(text, true)} prepends BOS. */
    boolean addsBos();
}
