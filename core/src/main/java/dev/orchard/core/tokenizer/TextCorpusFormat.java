package dev.orchard.core.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A corpus file format that another module provides (found with {@link java.util.ServiceLoader}; register the
 * implementation in {@code META-INF/services/dev.orchard.core.tokenizer.TextCorpusFormat}). The data module adds
 * Parquet this way, so that core needs no Parquet libraries.
 */
public interface TextCorpusFormat {

    /** Whether this format reads {@code file} (usually by its extension). */
    boolean supports(Path file);

    /** Opens {@code file}, taking each record's text from {@code field}. */
    TextCorpus open(Path file, String field) throws IOException;
}
