package dev.orchard.core.tokenizer;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A source of training text, one document at a time. {@link TextCorpora#open} reads JSON Lines and plain text;
 * other formats (Parquet, in the data module) plug in through {@link TextCorpusFormat}.
 */
public interface TextCorpus {

    /** Passes each document's text to {@code sink}, in order. */
    void forEach(Consumer<String> sink) throws IOException;

    /** Approximate size in bytes, for progress reporting; -1 when unknown. */
    long sizeBytes();
}
