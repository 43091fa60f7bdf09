package dev.orchard.train;

import dev.orchard.core.model.Projection;
import dev.orchard.core.quant.Encoding;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Settings of a LoRA fine-tuning run (the fields {@code orchard finetune} fills). */
public final class FinetuneOptions {

    /** The frozen base: a Hugging Face directory or a .gguf file, in any encoding. */
    public Path base;
    /** Re-encode the base's matrices on load (e.g. Q4_0 to fine-tune against a quantized base); null: as stored. */
    public Encoding reencode;
    /** JSONL of conversations ({@code messages}) or texts ({@code text}). */
    public Path data;
    /** Optional held-out JSONL in the same format. */
    public Path valid;
    /** Output directory for the PEFT adapter. */
    public Path output;

    public int rank = 16;
    public double alpha = 32;
    public boolean rsLora = false;
    public Set<Projection> targets = EnumSet.allOf(Projection.class);

    public int steps = 200;
    public int batchSize = 8;
    public int gradAccum = 1;
    /** Longest example in tokens (longer ones are cut). */
    public int maxTokens = 512;
    public double learningRate = 2e-4;
    public double minLearningRate = 2e-5;
    public int warmupSteps = 10;
    public double weightDecay = 0.0;
    public double gradClip = 1.0;
    public long seed = 1337;
    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    public int logEvery = 10;
    public int evalEvery = 100;
}
