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

    /** Encodes text; {@code addSpecial} adds BOS/EOS as this tokenizer's configuration says. */
    int[] encode(String text, boolean addSpecial);

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

    OptionalInt eosId();

    /** Whether {@code encode(text, true)} prepends BOS. */
    boolean addsBos();
}
