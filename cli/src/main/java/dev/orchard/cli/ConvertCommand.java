package dev.orchard.cli;

import dev.orchard.core.model.Checkpoints;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.RandomModels;
import dev.orchard.core.quant.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code orchard convert}: rewrite a checkpoint as GGUF or as a Hugging Face directory, in any encoding, with its
 * tokenizer, chat template and generation defaults.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a checkpoint to GGUF (any encoding) or a Hugging Face directory (f32, f16, bf16), "
                + "tokenizer, chat template and generation defaults included. QK-norm models are written as Qwen3, "
                + "the others as Llama.",
                "Example: orchard convert --model models/orchard-stories --output stories-q4_0.gguf --encoding q4_0",
                "         orchard convert --model stories-q4_0.gguf --output stories-hf --encoding f32",
                "         orchard convert --random smollm2-135m --output smollm-shape-q8_0.gguf --encoding q8_0"})
final class ConvertCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "PATH", description = "Source: HF directory or .gguf file.")
    Path model;

    @Option(names = "--random", paramLabel = "PRESET",
            description = "Source: a random-weight model of a preset shape (with a tokenizer of its vocabulary size).")
    String random;

    @Option(names = "--tokenizer", paramLabel = "PATH",
            description = "Take the tokenizer and chat template from here (a model directory, tokenizer.json or "
                    + ".gguf) instead of the source, e.g. for a checkpoint stored without one.")
    Path tokenizer;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "Target: a .gguf file, or a directory for a Hugging Face checkpoint.")
    Path output;

    @Option(names = "--encoding", required = true, paramLabel = "ENC", description = "f32, f16, bf16, q8_0 or q4_0.")
    String encoding;

    @Option(names = "--force", description = "Replace the output if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (random == null)) {
            throw new IllegalArgumentException("give exactly one of --model or --random");
        }
        if (random != null && tokenizer != null) {
            throw new IllegalArgumentException("--tokenizer applies to --model; a --random model has its own");
        }
        Encoding enc = ModelOptions.parseEncoding(encoding);
        if (random != null) {
            try (LanguageModel lm = LanguageModel.of(RandomModels.create(ModelConfig.preset(random), Encoding.F32, 1))) {
                write(lm, enc);
            }
        } else {
            LanguageModel.Options options = LanguageModel.Options.defaults();
            try (LanguageModel lm = LanguageModel.load(model, tokenizer == null ? options : options.withTokenizer(tokenizer))) {
                write(lm, enc);
            }
        }
        System.err.println("wrote " + output);
        return 0;
    }

    private void write(LanguageModel lm, Encoding enc) throws IOException {
        if (output.getFileName().toString().endsWith(".gguf")) {
            Checkpoints.saveGguf(lm, output, enc, force);
        } else {
            Checkpoints.saveHf(lm, output, enc, force);
        }
    }
}
