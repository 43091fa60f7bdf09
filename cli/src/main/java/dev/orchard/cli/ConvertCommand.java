package dev.orchard.cli;

import dev.orchard.core.model.Checkpoints;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.RandomModels;
import dev.orchard.core.model.Transformer;
import dev.orchard.core.quant.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code orchard convert}: rewrite a checkpoint as GGUF or as a Hugging Face directory, in any encoding. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a checkpoint to GGUF (any encoding) or a Hugging Face directory (f32, f16, bf16).",
                "Example: orchard convert --model models/orchard-stories --output stories-q4_0.gguf --encoding q4_0",
                "         orchard convert --random smollm2-135m --output smollm-shape-q8_0.gguf --encoding q8_0"})
final class ConvertCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "PATH", description = "Source: HF directory or .gguf file.")
    Path model;

    @Option(names = "--random", paramLabel = "PRESET", description = "Source: a random-weight model of a preset shape.")
    String random;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "Target: a .gguf file, or a directory for a Hugging Face checkpoint.")
    Path output;

    @Option(names = "--encoding", required = true, paramLabel = "ENC", description = "f32, f16, bf16, q8_0 or q4_0.")
    String encoding;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (random == null)) {
            throw new IllegalArgumentException("give exactly one of --model or --random");
        }
        Encoding enc = ModelOptions.parseEncoding(encoding);
        boolean gguf = output.getFileName().toString().endsWith(".gguf");
        if (random != null) {
            Transformer t = RandomModels.create(ModelConfig.preset(random), Encoding.F32, 1);
            write(t, enc, gguf);
        } else {
            try (LanguageModel lm = LanguageModel.load(model)) {
                write(lm.transformer(), enc, gguf);
            }
        }
        System.err.println("wrote " + output);
        return 0;
    }

    private void write(Transformer t, Encoding enc, boolean gguf) throws Exception {
        if (gguf) {
            Checkpoints.saveGguf(t, output, enc, Map.of());
        } else {
            Checkpoints.saveHf(t, output, enc);
        }
    }
}
