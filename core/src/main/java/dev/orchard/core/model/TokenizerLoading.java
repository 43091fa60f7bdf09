package dev.orchard.core.model;

import dev.orchard.core.tokenizer.ByteTokenizer;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;
import dev.orchard.core.tokenizer.Tokenizers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the tokenizer and chat template that belong to a checkpoint: tokenizer.json (+ tokenizer_config.json) in a
 * model directory, {@code tokenizer.ggml.*} in GGUF metadata. A checkpoint without one (random test models) gets
 * the byte tokenizer.
 */
final class TokenizerLoading {

    private TokenizerLoading() {
    }

    static Tokenizer fromDirectory(Path dir) throws IOException {
        if (Files.exists(dir.resolve("tokenizer.json"))) {
            return Tokenizers.load(dir);
        }
        return new ByteTokenizer();
    }

    static Tokenizer fromGguf(Map<String, Object> metadata) {
        if (metadata.containsKey("tokenizer.ggml.tokens")) {
            return Tokenizers.fromGgufMetadata(metadata);
        }
        return new ByteTokenizer();
    }

    static Optional<ChatTemplate> chatTemplate(Path path, Map<String, Object> ggufMetadata) throws IOException {
        if (ggufMetadata != null) {
            return Tokenizers.chatTemplate(ggufMetadata);
        }
        return Tokenizers.chatTemplate(path);
    }
}
