package dev.orchard.cli;

import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.RandomModels;
import dev.orchard.core.quant.Encoding;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Options shared by commands that run a model: which model, how to encode it, how many threads. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "PATH",
            description = "Hugging Face model directory or .gguf file (default: the bundled story model, "
                    + "else a tiny random-weight model).")
    Path model;

    @Option(names = "--encoding", paramLabel = "ENC",
            description = "Re-encode weights on load: f32, f16, bf16, q8_0, q4_0 (default: as stored).")
    String encoding;

    @Option(names = "--tokenizer", paramLabel = "PATH",
            description = "Take the tokenizer and chat template from here (a model directory, tokenizer.json or "
                    + ".gguf) instead of the model: for checkpoints stored without one.")
    Path tokenizer;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    static Encoding parseEncoding(String name) {
        try {
            return Encoding.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown encoding '" + name + "' (known: f32, f16, bf16, q8_0, q4_0)");
        }
    }

    void applyThreads() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }

    /** The bundled story model, if the repository has one. */
    static Path bundledModel() {
        String home = System.getProperty("orchard.home", ".");
        Path p = Path.of(home, "models", "orchard-stories");
        return Files.isRegularFile(p.resolve("config.json")) ? p : null;
    }

    LanguageModel load() throws IOException {
        applyThreads();
        Encoding enc = encoding == null ? null : parseEncoding(encoding);
        Path path = model != null ? model : bundledModel();
        if (path == null) {
            System.err.println("orchard: no --model given and no trained model is bundled yet; using a tiny "
                    + "random-weight model (its output is noise).");
            return LanguageModel.of(RandomModels.create(ModelConfig.tiny(), enc == null ? Encoding.F32 : enc, 7));
        }
        LanguageModel.Options options = new LanguageModel.Options(enc);
        return LanguageModel.load(path, tokenizer == null ? options : options.withTokenizer(tokenizer));
    }
}
