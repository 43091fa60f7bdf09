package dev.orchard.core.model;

import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.GgufFile;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;
import dev.orchard.core.tokenizer.Tokenizers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the tokenizer and chat template that belong to a checkpoint: tokenizer.json (+ tokenizer_config.json) in a
 * model directory, {@code tokenizer.ggml.*} in GGUF metadata. A checkpoint without one loads (its logits can still
 * be computed from token ids) but has no tokenizer: asking for it is an error naming what is missing, and loading
 * it logs a warning. There is no silent fallback.
 */
final class TokenizerLoading {

    private static final Logger LOG = LoggerFactory.getLogger(LanguageModel.class);

    private TokenizerLoading() {
    }

    /** A tokenizer and chat template, or (tokenizer null) the sentence saying what is missing. */
    record Found(Tokenizer tokenizer, ChatTemplate chatTemplate, String missing) {

        void checkFits(int vocabSize) {
            if (tokenizer != null && tokenizer.vocabSize() > vocabSize) {
                throw new FormatException("the tokenizer has " + tokenizer.vocabSize()
                        + " tokens but the model's vocab_size is " + vocabSize);
            }
        }

        void warnIfMissing() {
            if (tokenizer == null) {
                LOG.warn("{}; only token ids can be run through it", missing);
            }
        }
    }

    static Found fromDirectory(Path dir) throws IOException {
        if (Files.exists(dir.resolve("tokenizer.json"))) {
            return new Found(Tokenizers.load(dir), Tokenizers.chatTemplate(dir).orElse(null), null);
        }
        return new Found(null, null, "model " + dir + " has no tokenizer: tokenizer.json is missing"
                + (Files.exists(dir.resolve("tokenizer.model"))
                ? " (it has a SentencePiece tokenizer.model, which Orchard does not read; convert it to tokenizer.json)"
                : ""));
    }

    static Found fromGguf(Path file, Map<String, Object> metadata) {
        if (metadata.containsKey("tokenizer.ggml.tokens")) {
            return new Found(Tokenizers.fromGgufMetadata(metadata), Tokenizers.chatTemplate(metadata).orElse(null), null);
        }
        return new Found(null, null, "GGUF " + file + " has no tokenizer: tokenizer.ggml.tokens is missing");
    }

    /** An explicitly given tokenizer: a model directory, a tokenizer.json or a .gguf file; missing is an error. */
    static Found fromPath(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new FormatException("tokenizer " + path + " does not exist");
        }
        if (GgufFile.isGguf(path)) {
            try (GgufFile gguf = GgufFile.open(path)) {
                Found f = fromGguf(path, gguf.metadata());
                if (f.tokenizer() == null) {
                    throw new FormatException(f.missing());
                }
                return f;
            }
        }
        if (Files.isDirectory(path)) {
            Found f = fromDirectory(path);
            if (f.tokenizer() == null) {
                throw new FormatException(f.missing());
            }
            return f;
        }
        return new Found(Tokenizers.fromTokenizerJson(path), Tokenizers.chatTemplate(path).orElse(null), null);
    }
}
