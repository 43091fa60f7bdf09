package dev.orchard.cli;

import dev.orchard.core.model.Projection;
import dev.orchard.train.FinetuneOptions;
import dev.orchard.train.Finetuner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code orchard finetune --lora}: train a PEFT LoRA adapter on a frozen (possibly quantized) base. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a LoRA adapter (PEFT layout) on a frozen base in any encoding: supervised "
                + "fine-tuning on chat JSONL ({\"messages\": [...]}, loss on assistant turns only) or on text "
                + "JSONL ({\"text\": ...}).",
                "Example: orchard finetune --lora --model models/orchard-stories --data chats.jsonl "
                        + "--output adapters/chat --steps 300"})
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--lora", required = true, description = "Train a LoRA adapter (the only mode so far).")
    boolean lora;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "PATH", description = "Base: HF directory or .gguf file.")
    Path model;

    @Option(names = "--encoding", paramLabel = "ENC", description = "Re-encode the base on load: f32, f16, bf16, q8_0 or q4_0.")
    String encoding;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training JSONL (messages or text).")
    Path data;

    @Option(names = "--valid", paramLabel = "FILE", description = "Held-out JSONL in the same format.")
    Path valid;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Adapter directory to write.")
    Path output;

    @Option(names = "--rank", defaultValue = "16", description = "LoRA rank (default: ${DEFAULT-VALUE}).") int rank;
    @Option(names = "--alpha", defaultValue = "32", description = "LoRA alpha (default: ${DEFAULT-VALUE}).") double alpha;
    @Option(names = "--rslora", description = "Scale by alpha/sqrt(rank) instead of alpha/rank.") boolean rsLora;
    @Option(names = "--targets", split = ",", paramLabel = "MODULE",
            description = "Target modules (default: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj).")
    List<String> targets;

    @Option(names = "--steps", defaultValue = "200", description = "Optimizer steps (default: ${DEFAULT-VALUE}).") int steps;
    @Option(names = "--batch", defaultValue = "8", description = "Examples per micro-batch (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per step (default: ${DEFAULT-VALUE}).") int gradAccum;
    @Option(names = "--max-tokens", defaultValue = "512", description = "Longest example (default: ${DEFAULT-VALUE}).") int maxTokens;
    @Option(names = "--lr", defaultValue = "2e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE}).") double lr;
    @Option(names = "--min-lr", defaultValue = "2e-5", description = "Final learning rate (default: ${DEFAULT-VALUE}).") double minLr;
    @Option(names = "--warmup", defaultValue = "10", description = "Warmup steps (default: ${DEFAULT-VALUE}).") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW decay (default: ${DEFAULT-VALUE}).") double weightDecay;
    @Option(names = "--seed", defaultValue = "1337", description = "Seed (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--threads", description = "Data-parallel worker threads (default: all cores).") Integer threads;
    @Option(names = "--log-every", defaultValue = "10", description = "Steps between log lines (default: ${DEFAULT-VALUE}).") int logEvery;
    @Option(names = "--eval-every", defaultValue = "100", description = "Steps between held-out evaluations (default: ${DEFAULT-VALUE}).") int evalEvery;

    @Override
    public Integer call() throws Exception {
        FinetuneOptions o = new FinetuneOptions();
        o.base = model;
        o.reencode = encoding == null ? null : ModelOptions.parseEncoding(encoding);
        o.data = data;
        o.valid = valid;
        o.output = output;
        o.rank = rank;
        o.alpha = alpha;
        o.rsLora = rsLora;
        if (targets != null) {
            Set<Projection> set = EnumSet.noneOf(Projection.class);
            for (String t : targets) {
                set.add(Projection.byModuleName(t.strip()).orElseThrow(() -> new IllegalArgumentException(
                        "unknown target module '" + t + "' (known: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)")));
            }
            o.targets = set;
        }
        o.steps = steps;
        o.batchSize = batch;
        o.gradAccum = gradAccum;
        o.maxTokens = maxTokens;
        o.learningRate = lr;
        o.minLearningRate = minLr;
        o.warmupSteps = warmup;
        o.weightDecay = weightDecay;
        o.seed = seed;
        if (threads != null) {
            o.threads = threads;
        }
        o.logEvery = logEvery;
        o.evalEvery = evalEvery;
        Finetuner.Result r = new Finetuner(o, new TrainProgress(logEvery)).run();
        System.err.printf(Locale.ROOT, "trained %d steps on %,d assistant tokens in %s: loss %.4f -> %.4f%s%n",
                r.steps(), r.trainedTokens(), TrainProgress.duration(r.seconds()), r.firstLoss(), r.lastLoss(),
                Double.isNaN(r.validLoss()) ? "" : String.format(Locale.ROOT, ", held-out %.4f", r.validLoss()));
        System.err.println("wrote " + output + " (PEFT adapter, " + r.trainableParameters() + " parameters)");
        return 0;
    }
}
