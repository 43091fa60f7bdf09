package dev.orchard.core.tokenizer;

/** A tokenizer file (tokenizer.json, tokenizer_config.json or GGUF metadata) that cannot be used, and why. */
public final class TokenizerFormatException extends IllegalArgumentException {

    public TokenizerFormatException(String message) {
        super(message);
    }

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
