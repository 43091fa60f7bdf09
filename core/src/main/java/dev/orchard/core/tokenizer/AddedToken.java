package dev.orchard.core.tokenizer;

/**
 * A token matched in the text before pre-tokenization (tokenizer.json "added_tokens"). {@code lstrip}/{@code rstrip}
 * make the match swallow whitespace on that side; {@code singleWord} matches only when not inside a word;
 * {@code normalized} tokens are matched in normalized text, the others in the raw text.
 */
record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
                  boolean special) {

    static AddedToken special(int id, String content) {
        return new AddedToken(id, content, false, false, false, false, true);
    }
}
