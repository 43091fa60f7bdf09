package dev.orchard.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * LoRA fine-tuning (SFT on conversations, or plain text) of a frozen base in any encoding. The base's matrices are
 * never dequantized as a whole: the training graph reads them through {@link dev.orchard.core.quant.WeightMatrix}
 * row tiles in both directions, and only the LoRA factors take gradients. The adapter is written in PEFT's layout
 * ({@code adapter_config.json} + {@code adapter_model.safetensors}), which core's {@code LoraAdapter} loads.
 *
 * <p>The chat template is the base's own (tokenizer_config.json or GGUF metadata) or, when it has none, Orchard's
 * default ({@link ChatTemplate#orchardDefault()}).
 */
public final class Finetuner {

    /** What a run produced. */
    public record Result(int steps, long trainedTokens, double seconds, double firstLoss, double lastLoss,
                         double validLoss, long trainableParameters, Path adapter) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FinetuneOptions o;
    private final TrainingListener listener;

    public Finetuner(FinetuneOptions options, TrainingListener listener) {
        if (options.base == null || options.data == null || options.output == null) {
            throw new IllegalArgumentException("fine-tuning needs a base model, data and an output directory");
        }
        if (options.steps < 1 || options.batchSize < 1 || options.gradAccum < 1 || options.maxTokens < 2 || options.threads < 1) {
            throw new IllegalArgumentException("steps, batch size, grad accumulation and threads must be positive and max tokens at least 2");
        }
        this.o = options;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    public Result run() throws IOException {
        long started = System.nanoTime();
        LanguageModel.Options load = o.reencode == null ? LanguageModel.Options.defaults() : new LanguageModel.Options(o.reencode);
        try (LanguageModel base = LanguageModel.load(o.base, load)) {
            ChatTemplate template = Tokenizers.chatTemplate(o.base).orElse(ChatTemplate.orchardDefault());
            int maxTokens = Math.min(o.maxTokens, base.config().maxPositionEmbeddings());
            List<SftExamples.Encoded> train = SftExamples.read(o.data, base.tokenizer(), template, maxTokens);
            List<SftExamples.Encoded> valid = o.valid == null ? List.of() : SftExamples.read(o.valid, base.tokenizer(), template, maxTokens);
            TrainingModel model = TrainingModel.of(base.transformer(), false);
            model.addLora(o.rank, o.alpha, o.rsLora, o.targets, o.seed);
            listener.onMessage(String.format(Locale.ROOT, "base %s (%s); LoRA rank %d on %s: %,d trainable parameters; %d examples",
                    o.base, base.transformer().layer(0).projection(dev.orchard.core.model.Projection.Q_PROJ).encoding(),
                    o.rank, o.targets, model.trainableCount(), train.size()));
            AdamW adam = new AdamW(model.trainableParameters(), new AdamW.Settings(0.9, 0.999, 1e-8, o.weightDecay));
            LrSchedule schedule = new LrSchedule(o.learningRate, o.minLearningRate, Math.min(o.warmupSteps, o.steps), o.steps);
            Files.createDirectories(o.output);
            Path log = o.output.resolve("train_log.jsonl");
            Files.deleteIfExists(log);
            List<LossCurve.Point> curve = new ArrayList<>();
            List<LossCurve.Point> validCurve = new ArrayList<>();
            double first = Double.NaN;
            double last = Double.NaN;
            double validLoss = Double.NaN;
            long tokens = 0;
            int perStep = o.batchSize * o.gradAccum;
            Order order = new Order(train.size(), o.seed);
            try (DataParallel dp = new DataParallel(model, o.threads)) {
                for (int step = 0; step < o.steps; step++) {
                    double lr = schedule.at(step);
                    List<List<DataParallel.Example>> micro = new ArrayList<>();
                    long counted = 0;
                    for (int a = 0; a < o.gradAccum; a++) {
                        List<DataParallel.Example> batch = new ArrayList<>();
                        for (int b = 0; b < o.batchSize; b++) {
                            SftExamples.Encoded e = train.get(order.at((long) step * perStep + a * o.batchSize + b));
                            batch.add(new DataParallel.Example(e.tokens(), e.targets(), null));
                            counted += e.counted();
                        }
                        micro.add(batch);
                    }
                    TrainStep.Result result = TrainStep.run(dp, adam, micro, DataParallel.languageModel(0, counted),
                            lr, o.gradClip);
                    DataParallel.Stats stats = result.stats();
                    double norm = result.gradNorm();
                    tokens += stats.tokens();
                    last = stats.crossEntropy() / stats.tokens();
                    if (step == 0) {
                        first = last;
                    }
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    listener.onStep(new TrainingListener.Step(step + 1, o.steps, last, lr, tokens / elapsed,
                            (o.steps - step - 1) * elapsed / (step + 1), tokens));
                    if ((step + 1) % o.logEvery == 0 || step + 1 == o.steps) {
                        ObjectNode line = JSON.createObjectNode();
                        line.put("step", step + 1);
                        line.put("loss", last);
                        line.put("lr", lr);
                        line.put("grad_norm", norm);
                        line.put("trained_tokens", tokens);
                        line.put("seconds", elapsed);
                        append(log, line);
                        curve.add(new LossCurve.Point(step + 1, last));
                    }
                    if (!valid.isEmpty() && ((step + 1) % o.evalEvery == 0 || step + 1 == o.steps)) {
                        validLoss = validLoss(model, valid);
                        ObjectNode line = JSON.createObjectNode();
                        line.put("step", step + 1);
                        line.put("val_loss", validLoss);
                        append(log, line);
                        validCurve.add(new LossCurve.Point(step + 1, validLoss));
                        listener.onMessage(String.format(Locale.ROOT, "step %d: held-out loss %.4f (assistant tokens)", step + 1, validLoss));
                    }
                }
            }
            model.saveAdapter(o.output, o.base.toString());
            LossCurve.write(o.output.resolve("loss_curve.html"), "LoRA fine-tuning of " + o.base.getFileName(), curve, validCurve);
            return new Result(o.steps, tokens, (System.nanoTime() - started) / 1e9, first, last, validLoss,
                    model.trainableCount(), o.output);
        }
    }

    /** Mean cross-entropy over the trained (assistant) tokens of {@code examples}. */
    static double validLoss(TrainingModel model, List<SftExamples.Encoded> examples) {
        Grads none = new Grads(List.of());
        double[] sums = new double[examples.size()];
        java.util.stream.IntStream.range(0, examples.size()).parallel().forEach(i -> {
            Tape tape = new Tape();
            SftExamples.Encoded e = examples.get(i);
            sums[i] = Losses.crossEntropy(tape, model.forward(tape, none, e.tokens()), e.targets(), 1.0).item();
        });
        double total = 0;
        long count = 0;
        for (int i = 0; i < sums.length; i++) {
            total += sums[i];
            count += examples.get(i).counted();
        }
        return total / Math.max(1, count);
    }

    private static void append(Path log, ObjectNode line) throws IOException {
        Files.writeString(log, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Epochs over the examples, each in a fresh order drawn from the seed and the epoch number alone. */
    static final class Order {
        private final int n;
        private final long seed;
        private int epoch = -1;
        private int[] perm;

        Order(int n, long seed) {
            this.n = n;
            this.seed = seed;
        }

        int at(long index) {
            int e = (int) (index / n);
            if (e != epoch) {
                perm = new int[n];
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                }
                SplittableRandom rng = new SplittableRandom(Pretrainer.mix(seed + e));
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                epoch = e;
            }
            return perm[(int) (index % n)];
        }
    }
}
