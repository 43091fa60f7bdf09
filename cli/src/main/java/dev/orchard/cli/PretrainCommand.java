package dev.orchard.cli;

import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.tokenizer.ByteTokenizer;
import dev.orchard.core.tokenizer.Tokenizers;
import dev.orchard.train.PretrainOptions;
import dev.orchard.train.Pretrainer;
import dev.orchard.train.TrainPresets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code orchard pretrain}: train a model from scratch on a text corpus (see docs/training.md). */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pre-train a Llama-family model from scratch into a Hugging Face checkpoint; resumes from "
                + "OUTPUT/checkpoints when run again with the same options.",
                "Example: orchard pretrain --train stories.jsonl --valid valid.jsonl --tokenizer tok/ "
                        + "--preset llama2c-260k --output runs/260k --steps 2000"})
final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training corpus: JSONL (text field) or plain text.")
    Path train;

    @Option(names = "--valid", paramLabel = "FILE", description = "Held-out corpus (default: the last 1%% of --train).")
    Path valid;

    @Option(names = "--holdout", paramLabel = "FILE", description = "Report-only corpus, evaluated once after training.")
    Path holdout;

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "tokenizer.json, a directory holding one, or 'byte' for the 258-token byte tokenizer.")
    String tokenizer;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "llama2c-260k",
            description = "Architecture: llama2c-260k, orchard-stories, tiny or a core preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "Architecture from a config.json instead of --preset.")
    Path config;

    @Option(names = "--dim", description = "Override hidden_size.") Integer dim;
    @Option(names = "--layers", description = "Override num_hidden_layers.") Integer layers;
    @Option(names = "--heads", description = "Override num_attention_heads.") Integer heads;
    @Option(names = "--kv-heads", description = "Override num_key_value_heads.") Integer kvHeads;
    @Option(names = "--head-dim", description = "Override head_dim (default: dim / heads when --dim or --heads is given).") Integer headDim;
    @Option(names = "--ffn", description = "Override intermediate_size.") Integer ffn;
    @Option(names = "--qk-norm", negatable = true, description = "Override qk_norm.") Boolean qkNorm;

    @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).") int steps;
    @Option(names = "--batch", defaultValue = "8", description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per step (default: ${DEFAULT-VALUE}).") int gradAccum;
    @Option(names = "--context", defaultValue = "256", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).") int context;
    @Option(names = "--lr", defaultValue = "5e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE}).") double lr;
    @Option(names = "--min-lr", defaultValue = "5e-5", description = "Final learning rate (default: ${DEFAULT-VALUE}).") double minLr;
    @Option(names = "--warmup", defaultValue = "100", description = "Warmup steps (default: ${DEFAULT-VALUE}).") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW decay (default: ${DEFAULT-VALUE}).") double weightDecay;
    @Option(names = "--grad-clip", defaultValue = "1.0", description = "Max gradient norm, 0 for none (default: ${DEFAULT-VALUE}).") double gradClip;
    @Option(names = "--seed", defaultValue = "1337", description = "Initialisation and data seed (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--threads", description = "Data-parallel worker threads (default: all cores).") Integer threads;
    @Option(names = "--log-every", defaultValue = "10", description = "Steps between log lines (default: ${DEFAULT-VALUE}).") int logEvery;
    @Option(names = "--eval-every", defaultValue = "200", description = "Steps between held-out evaluations (default: ${DEFAULT-VALUE}).") int evalEvery;
    @Option(names = "--eval-docs", defaultValue = "100", description = "Documents per periodic evaluation (default: ${DEFAULT-VALUE}).") int evalDocs;
    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).") int checkpointEvery;
    @Option(names = "--no-resume", description = "Start afresh even if OUTPUT/checkpoints exists.") boolean noResume;
    @Option(names = "--teacher", paramLabel = "MODEL", description = "Distil from this model (same tokenizer).") Path teacher;
    @Option(names = "--distill-alpha", defaultValue = "0.9", description = "Teacher weight in the target (default: ${DEFAULT-VALUE}).") double alpha;
    @Option(names = "--halt-after", hidden = true, defaultValue = "0", description = "Stop after this step as if killed (tests).") int haltAfter;

    @Override
    public Integer call() throws Exception {
        PretrainOptions o = new PretrainOptions();
        o.model = architecture();
        if (tokenizer.equals("byte")) {
            // ids 0-255 bytes, 256 BOS, 257 EOS, as a byte-level BPE with no merges: written as tokenizer.json
            o.tokenizer = Tokenizers.synthetic(258, ByteTokenizer.BOS, ByteTokenizer.EOS);
        } else {
            Path p = Path.of(tokenizer);
            o.tokenizer = Tokenizers.load(p);
            o.tokenizerFile = p;
        }
        o.train = train;
        o.valid = valid;
        o.holdout = holdout;
        o.output = output;
        o.steps = steps;
        o.batchSize = batch;
        o.gradAccum = gradAccum;
        o.context = context;
        o.learningRate = lr;
        o.minLearningRate = minLr;
        o.warmupSteps = warmup;
        o.weightDecay = weightDecay;
        o.gradClip = gradClip;
        o.seed = seed;
        if (threads != null) {
            o.threads = threads;
        }
        o.logEvery = logEvery;
        o.evalEvery = evalEvery;
        o.evalDocs = evalDocs;
        o.checkpointEvery = checkpointEvery;
        o.resume = !noResume;
        o.teacher = teacher;
        o.distillAlpha = alpha;
        o.haltAfter = haltAfter;
        Pretrainer.Result r = new Pretrainer(o, new TrainProgress(logEvery)).run();
        if (r.finalEval() == null) {
            System.err.printf(Locale.ROOT, "halted after step %d; run again to resume%n", r.steps());
            return 0;
        }
        System.err.printf(Locale.ROOT, "trained %d steps, %,d tokens in %s; held-out %.4f nats/token, %.4f bits/byte%n",
                r.steps(), r.tokens(), TrainProgress.duration(r.seconds()), r.finalEval().natsPerToken(),
                r.finalEval().bitsPerByte());
        if (r.holdout() != null) {
            System.err.printf(Locale.ROOT, "holdout (%s): %.4f nats/token, %.4f bits/byte%n", holdout,
                    r.holdout().natsPerToken(), r.holdout().bitsPerByte());
        }
        System.err.println("wrote " + output);
        return 0;
    }

    private ModelConfig architecture() throws Exception {
        ModelConfig c = config != null ? ModelConfig.read(config) : TrainPresets.get(preset);
        int h = dim != null ? dim : c.hiddenSize();
        int nh = heads != null ? heads : c.numAttentionHeads();
        int kv = kvHeads != null ? kvHeads : c.numKeyValueHeads();
        int hd = headDim != null ? headDim : (dim != null || heads != null) ? h / nh : c.headDim();
        int maxPos = Math.max(c.maxPositionEmbeddings(), context);
        return new ModelConfig(h, ffn != null ? ffn : c.intermediateSize(), nh, kv, layers != null ? layers : c.numHiddenLayers(),
                hd, c.rmsNormEps(), c.ropeTheta(), c.ropeScaling(), c.vocabSize(), c.tieWordEmbeddings(), maxPos,
                qkNorm != null ? qkNorm : c.qkNorm(), c.bosTokenId(), c.eosTokenIds());
    }
}
