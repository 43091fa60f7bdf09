package dev.orchard.train;

import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.tokenizer.Tokenizer;

import java.nio.file.Path;

/**
 * Settings of a pre-training run (the fields {@code orchard pretrain} fills). Defaults follow llama2.c's small
 * TinyStories runs scaled to a 2-core CPU.
 */
public final class PretrainOptions {

    /** Architecture; its vocab size and special tokens are replaced by the tokenizer's. */
    public ModelConfig model;
    public Tokenizer tokenizer;
    /**
     * Where the tokenizer came from: a tokenizer.json file, or a directory whose tokenizer.json and
     * tokenizer_config.json are copied beside the trained model (null: nothing to copy, e.g. the byte tokenizer).
     */
    public Path tokenizerFile;
    /** Training corpus: JSONL with a {@code text} field, or plain text (documents separated by blank lines). */
    public Path train;
    /** Held-out corpus; null holds out the last {@code 1%} of the training documents instead. */
    public Path valid;
    public Path output;

    public int steps = 1000;
    /** Sequences per micro-batch. */
    public int batchSize = 8;
    /** Micro-batches per optimizer step. */
    public int gradAccum = 1;
    /** Tokens per training sequence (at most the model's max_position_embeddings). */
    public int context = 256;
    public double learningRate = 5e-4;
    public double minLearningRate = 5e-5;
    public int warmupSteps = 100;
    public double weightDecay = 0.1;
    public double beta1 = 0.9;
    public double beta2 = 0.95;
    public double gradClip = 1.0;
    public long seed = 1337;
    /** Worker threads for data parallelism. A resumed run is bit-identical when this matches the first run's. */
    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    public int logEvery = 10;
    public int evalEvery = 200;
    /** Held-out documents used by the periodic evaluations (the final one uses {@link #finalEvalDocs}). */
    public int evalDocs = 100;
    public int finalEvalDocs = Integer.MAX_VALUE;
    public int checkpointEvery = 200;
    /** Checkpoints kept on disk (older ones are deleted). */
    public int keepCheckpoints = 2;
    /** Continue from {@code output/checkpoints/latest} when present. */
    public boolean resume = true;

    /**
     * A report-only corpus evaluated once, after training (e.g. TinyStories' holdout split); never used for any
     * decision during the run. Null: none.
     */
    public Path holdout;

    /** Distillation teacher (any model Orchard loads, same vocabulary); null trains on labels only. */
    public Path teacher;
    /** Weight of the teacher in the target: {@code alpha * KL(teacher) + (1 - alpha) * CE(labels)}. */
    public double distillAlpha = 0.9;

    /** Stop (as if killed) once this many steps are done; for tests of exact resume. 0: never. */
    public int haltAfter = 0;
}
