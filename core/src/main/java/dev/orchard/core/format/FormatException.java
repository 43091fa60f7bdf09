package dev.orchard.core.format;

/** A model, tokenizer or adapter file that cannot be read as what it claims to be; the message names the file and the problem. */
public class FormatException extends RuntimeException {

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
