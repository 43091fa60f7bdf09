package dev.orchard.cli;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.model.Checkpoints;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.Projection;
import dev.orchard.core.quant.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code orchard merge}: folds a PEFT LoRA adapter into its base ({@code W + scale * B A}) and writes the result as
 * a standalone checkpoint, tokenizer, chat template and generation defaults included.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge a LoRA adapter (PEFT layout) into its base model and write a standalone checkpoint: "
                + "a Hugging Face directory, or a .gguf file.",
                "Example: orchard merge --model models/orchard-stories --adapter runs/polite --output stories-polite"})
final class MergeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "The LoRA adapter (PEFT layout).")
    Path adapter;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "Target: a .gguf file, or a directory for a Hugging Face checkpoint.")
    Path output;

    @Option(names = "--output-encoding", paramLabel = "ENC",
            description = "Encoding of the written weights: f32, f16, bf16, q8_0, q4_0 (default: the base's; "
                    + "f32 for a Hugging Face directory from a block-quantized base).")
    String outputEncoding;

    @Option(names = "--force", description = "Replace the output if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        boolean gguf = output.getFileName().toString().endsWith(".gguf");
        try (LanguageModel base = modelOptions.load()) {
            LoraAdapter lora = base.loadAdapter(adapter);
            Encoding stored = base.transformer().layer(0).projection(Projection.Q_PROJ).encoding();
            Encoding enc = outputEncoding != null ? ModelOptions.parseEncoding(outputEncoding)
                    : gguf || stored == Encoding.F16 || stored == Encoding.BF16 ? stored : Encoding.F32;
            LanguageModel merged = base.merged(lora, enc);
            if (gguf) {
                Checkpoints.saveGguf(merged, output, enc, force);
            } else {
                Checkpoints.saveHf(merged, output, enc, force);
            }
        }
        System.err.println("wrote " + output);
        return 0;
    }
}
