package dev.orchard.core.model;

import dev.orchard.core.format.FormatException;
import dev.orchard.core.tokenizer.ByteTokenizer;
import dev.orchard.core.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Finds the tokenizer that belongs to a checkpoint. */
final class TokenizerLoading {

    private TokenizerLoading() {
    }

    static Tokenizer fromDirectory(Path dir, ModelConfig config) {
        if (Files.exists(dir.resolve("tokenizer.json"))) {
            throw new FormatException(dir + ": tokenizer.json support is not wired in yet");
        }
        return byteFallback(dir.toString(), config);
    }

    static Tokenizer fromGguf(Map<String, Object> metadata, ModelConfig config) {
        return byteFallback("GGUF", config);
    }

    private static Tokenizer byteFallback(String where, ModelConfig config) {
        if (config.vocabSize() < 258) {
            // A model too small for the byte tokenizer still runs on token ids (tests, benchmarks).
            return new ByteTokenizer();
        }
        return new ByteTokenizer();
    }
}
