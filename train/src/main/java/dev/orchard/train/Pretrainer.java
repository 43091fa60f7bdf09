package dev.orchard.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Pre-training from a text corpus to a Hugging Face-layout checkpoint, optionally distilling a teacher.
 *
 * <p>The corpus is tokenized once into {@code output/data/train.tokens} (reused while corpus and tokenizer are
 * unchanged). Each step draws {@code batchSize * gradAccum} windows of {@code context + 1} tokens at positions
 * derived from (seed, step, index) alone, so the data order needs no state beyond the step number. Checkpoints
 * ({@code output/checkpoints/step-N/}: weights, AdamW moments, trainer state) are written to a temporary directory
 * and renamed; {@code output/checkpoints/latest} names the newest. A run restarted with the same options continues
 * from there and ends with the same weights, bit for bit, as one that was never interrupted.
 *
 * <p>Outputs: {@code config.json}, {@code model.safetensors}, {@code generation_config.json} (and
 * {@code tokenizer.json}) in {@code output/}, with {@code train_log.jsonl} and {@code loss_curve.html}.
 */
public final class Pretrainer {

    /** What a finished (or halted) run produced. */
    public record Result(int steps, long tokens, double seconds, double lastTrainLoss, Evaluation finalEval,
                         Evaluation holdout, Path output) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PretrainOptions o;
    private final TrainingListener listener;

    public Pretrainer(PretrainOptions options, TrainingListener listener) {
        this.o = options;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        validate();
    }

    private void validate() {
        if (o.model == null || o.tokenizer == null || o.train == null || o.output == null) {
            throw new IllegalArgumentException("pretraining needs a model config, a tokenizer, a training corpus and an output directory");
        }
        if (o.steps < 1 || o.batchSize < 1 || o.gradAccum < 1 || o.context < 2 || o.threads < 1) {
            throw new IllegalArgumentException("steps, batch size, grad accumulation and threads must be positive and context at least 2");
        }
        if (o.context > o.model.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("context " + o.context + " exceeds the model's max_position_embeddings "
                    + o.model.maxPositionEmbeddings());
        }
        if (o.distillAlpha < 0 || o.distillAlpha > 1) {
            throw new IllegalArgumentException("distillation alpha must be in [0, 1], got " + o.distillAlpha);
        }
    }

    /** The architecture as trained: the option's shape with the tokenizer's vocabulary and special tokens. */
    static ModelConfig modelConfig(PretrainOptions o) {
        Tokenizer t = o.tokenizer;
        return o.model.withVocabSize(t.vocabSize())
                .withSpecialTokens(t.bosId().orElse(-1), t.eosId().isPresent() ? List.of(t.eosId().getAsInt()) : List.of());
    }

    public Result run() throws IOException {
        long started = System.nanoTime();
        ModelConfig config = modelConfig(o);
        Files.createDirectories(o.output);
        List<String> trainDocs = Corpus.read(o.train);
        List<String> validDocs;
        if (o.valid != null) {
            validDocs = Corpus.read(o.valid);
        } else {
            int held = Math.max(1, trainDocs.size() / 100);
            if (trainDocs.size() - held < 1) {
                throw new IllegalArgumentException("corpus " + o.train + " is too small to hold documents out; pass a held-out corpus");
            }
            validDocs = List.copyOf(trainDocs.subList(trainDocs.size() - held, trainDocs.size()));
            trainDocs = trainDocs.subList(0, trainDocs.size() - held);
        }
        Path tokens = o.output.resolve("data").resolve("train.tokens");
        String source = o.train.toAbsolutePath() + " " + Files.size(o.train) + " " + Files.getLastModifiedTime(o.train).toMillis()
                + " held-out:" + (o.valid == null) + " tokenizer:" + fingerprint(o.tokenizer);
        if (!source.equals(TokenFile.sourceOf(tokens))) {
            long t0 = System.nanoTime();
            TokenFile.write(trainDocs, o.tokenizer, tokens, source);
            listener.onMessage(String.format(Locale.ROOT, "tokenized %d documents into %s in %.1f s",
                    trainDocs.size(), tokens, (System.nanoTime() - t0) / 1e9));
        }
        try (TokenFile data = TokenFile.open(tokens);
             LanguageModel teacher = o.teacher == null ? null : LanguageModel.load(o.teacher)) {
            if (data.size() < o.context + 2) {
                throw new IllegalArgumentException("corpus has " + data.size() + " tokens, fewer than one window of " + (o.context + 1));
            }
            if (teacher != null && teacher.config().vocabSize() != config.vocabSize()) {
                throw new IllegalArgumentException("teacher " + o.teacher + " has vocabulary " + teacher.config().vocabSize()
                        + ", the student " + config.vocabSize() + " (distillation needs the same tokenizer)");
            }
            return train(config, data, validDocs, teacher, started);
        }
    }

    private Result train(ModelConfig config, TokenFile data, List<String> validDocs, LanguageModel teacher, long started)
            throws IOException {
        TrainingModel model = TrainingModel.initialize(config, o.seed);
        AdamW adam = new AdamW(model.trainableParameters(),
                new AdamW.Settings(o.beta1, o.beta2, 1e-8, o.weightDecay));
        LrSchedule schedule = new LrSchedule(o.learningRate, o.minLearningRate, Math.min(o.warmupSteps, o.steps), o.steps);
        Path checkpoints = o.output.resolve("checkpoints");
        Path log = o.output.resolve("train_log.jsonl");
        int startStep = 0;
        long tokensSeen = 0;
        double priorSeconds = 0;
        Path latest = checkpoints.resolve("latest");
        if (o.resume && Files.exists(latest)) {
            Path dir = checkpoints.resolve(Files.readString(latest).strip());
            JsonNode state = JSON.readTree(Files.readString(dir.resolve("trainer_state.json")));
            checkCompatible(state, config, dir);
            model.loadWeights(dir.resolve("model.safetensors"));
            adam.load(dir.resolve("optimizer.safetensors"));
            startStep = state.path("step").asInt();
            tokensSeen = state.path("tokens").asLong();
            priorSeconds = state.path("seconds").asDouble();
            truncateLog(log, startStep);
            listener.onMessage("resumed from " + dir + " at step " + startStep);
        } else {
            Files.deleteIfExists(log);
            listener.onMessage(String.format(Locale.ROOT, "model: %,d parameters (%d layers, hidden %d, %d/%d heads, vocab %d); "
                            + "data: %,d tokens; %d thread(s)", config.parameterCount(), config.numHiddenLayers(),
                    config.hiddenSize(), config.numAttentionHeads(), config.numKeyValueHeads(), config.vocabSize(),
                    data.size(), o.threads));
        }
        List<LossCurve.Point> trainCurve = new ArrayList<>();
        List<LossCurve.Point> validCurve = new ArrayList<>();
        readCurve(log, trainCurve, validCurve);
        List<String> evalDocs = validDocs.subList(0, Math.min(o.evalDocs, validDocs.size()));
        int perStep = o.batchSize * o.gradAccum;
        double divisor = (double) perStep * o.context;
        long sessionStart = System.nanoTime();
        long sessionTokens = 0;
        double lastLoss = Double.NaN;
        int step = startStep;
        try (DataParallel dp = new DataParallel(model, o.threads)) {
            while (step < o.steps) {
                double lr = schedule.at(step);
                List<List<DataParallel.Example>> micro = new ArrayList<>(o.gradAccum);
                for (int a = 0; a < o.gradAccum; a++) {
                    List<DataParallel.Example> batch = new ArrayList<>(o.batchSize);
                    for (int b = 0; b < o.batchSize; b++) {
                        batch.add(window(data, step, a * o.batchSize + b, teacher));
                    }
                    micro.add(batch);
                }
                TrainStep.Result result = TrainStep.run(dp, adam, micro, DataParallel.languageModel(o.distillAlpha, divisor),
                        lr, o.gradClip);
                DataParallel.Stats stats = result.stats();
                double norm = result.gradNorm();
                step++;
                tokensSeen += (long) perStep * o.context;
                sessionTokens += (long) perStep * o.context;
                lastLoss = stats.crossEntropy() / stats.tokens();
                double elapsed = (System.nanoTime() - sessionStart) / 1e9;
                double tps = sessionTokens / Math.max(elapsed, 1e-9);
                double eta = (o.steps - step) * (elapsed / (step - startStep));
                listener.onStep(new TrainingListener.Step(step, o.steps, lastLoss, lr, tps, eta, tokensSeen));
                if (step % o.logEvery == 0 || step == o.steps) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("step", step);
                    line.put("loss", lastLoss);
                    if (teacher != null) {
                        line.put("kl", stats.kl() / stats.tokens());
                    }
                    line.put("lr", lr);
                    line.put("grad_norm", norm);
                    line.put("tokens", tokensSeen);
                    line.put("tokens_per_s", tps);
                    line.put("seconds", priorSeconds + (System.nanoTime() - started) / 1e9);
                    appendLog(log, line);
                    trainCurve.add(new LossCurve.Point(step, lastLoss));
                }
                if (step % o.evalEvery == 0 && step < o.steps) {
                    Evaluation e = Evaluation.of(model, o.tokenizer, evalDocs, o.context);
                    logEval(log, step, e, tokensSeen, priorSeconds + (System.nanoTime() - started) / 1e9);
                    validCurve.add(new LossCurve.Point(step, e.natsPerToken()));
                    listener.onEval(step, e);
                }
                if (step % o.checkpointEvery == 0 || step == o.steps || step == o.haltAfter) {
                    saveCheckpoint(model, adam, checkpoints, step, tokensSeen,
                            priorSeconds + (System.nanoTime() - started) / 1e9, config);
                }
                if (step == o.haltAfter && step < o.steps) {
                    return new Result(step, tokensSeen, priorSeconds + (System.nanoTime() - started) / 1e9, lastLoss, null, null, o.output);
                }
            }
        }
        // The finished model, its curve and a final held-out evaluation.
        model.saveCheckpoint(o.output, java.util.Map.of("format", "pt"));
        copyTokenizer();
        Evaluation fin = Evaluation.of(model, o.tokenizer, validDocs.subList(0, Math.min(o.finalEvalDocs, validDocs.size())), o.context);
        double seconds = priorSeconds + (System.nanoTime() - started) / 1e9;
        logEval(log, step, fin, tokensSeen, seconds);
        validCurve.add(new LossCurve.Point(step, fin.natsPerToken()));
        listener.onEval(step, fin);
        LossCurve.write(o.output.resolve("loss_curve.html"), String.format(Locale.ROOT,
                "%s: %,d parameters, %,d tokens, held-out %.4f nats/token, %.4f bits/byte", o.output.getFileName(),
                config.parameterCount(), tokensSeen, fin.natsPerToken(), fin.bitsPerByte()), trainCurve, validCurve);
        Evaluation holdout = null;
        if (o.holdout != null) {
            holdout = Evaluation.of(model, o.tokenizer, Corpus.read(o.holdout), o.context);
            ObjectNode line = JSON.createObjectNode();
            line.put("step", step);
            line.put("holdout_loss", holdout.natsPerToken());
            line.put("holdout_bits_per_byte", holdout.bitsPerByte());
            line.put("holdout_tokens", holdout.tokens());
            line.put("holdout_documents", holdout.documents());
            appendLog(log, line);
        }
        return new Result(step, tokensSeen, seconds, lastLoss, fin, holdout, o.output);
    }

    private void copyTokenizer() throws IOException {
        Path t = o.tokenizerFile;
        if (t == null) {
            return;
        }
        if (Files.isDirectory(t)) {
            for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
                if (Files.exists(t.resolve(name))) {
                    Files.copy(t.resolve(name), o.output.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else {
            Files.copy(t, o.output.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Window {@code index} of step {@code step}: a start drawn from (seed, step, index) by a stateless hash. */
    private DataParallel.Example window(TokenFile data, int step, int index, LanguageModel teacher) {
        long span = data.size() - (o.context + 1);
        long h = mix(o.seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL + index);
        long start = Math.floorMod(h, span + 1);
        int[] buf = new int[o.context + 1];
        data.read(start, buf);
        int[] in = java.util.Arrays.copyOfRange(buf, 0, o.context);
        int[] targets = java.util.Arrays.copyOfRange(buf, 1, o.context + 1);
        float[] teacherLogits = teacher == null ? null : teacher.logits(in);
        return new DataParallel.Example(in, targets, teacherLogits);
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String fingerprint(Tokenizer t) {
        long h = t.vocabSize();
        for (int id = 0; id < t.vocabSize(); id++) {
            h = mix(h + java.util.Arrays.hashCode(t.tokenBytes(id)) + 31L * id);
        }
        return Long.toHexString(h);
    }

    private ObjectNode runState(ModelConfig config) {
        ObjectNode run = JSON.createObjectNode();
        run.set("model", config.toJson());
        run.put("context", o.context);
        run.put("batch_size", o.batchSize);
        run.put("grad_accum", o.gradAccum);
        run.put("steps", o.steps);
        run.put("seed", o.seed);
        run.put("learning_rate", o.learningRate);
        run.put("min_learning_rate", o.minLearningRate);
        run.put("warmup_steps", o.warmupSteps);
        run.put("weight_decay", o.weightDecay);
        run.put("threads", o.threads);
        run.put("distill_alpha", o.teacher == null ? 0 : o.distillAlpha);
        return run;
    }

    private void checkCompatible(JsonNode state, ModelConfig config, Path dir) {
        JsonNode saved = state.path("run");
        ObjectNode now = runState(config);
        if (!saved.path("model").equals(now.path("model"))) {
            throw new FormatException("checkpoint " + dir + " is for a different model architecture; "
                    + "use another --output or delete " + dir.getParent());
        }
        List<String> differ = new ArrayList<>();
        now.fieldNames().forEachRemaining(k -> {
            if (!k.equals("model") && !now.get(k).equals(saved.get(k))) {
                differ.add(k + " " + saved.get(k) + " -> " + now.get(k));
            }
        });
        if (!differ.isEmpty()) {
            listener.onMessage("resuming with changed settings (the run will not match an uninterrupted one): "
                    + String.join(", ", differ));
        }
    }

    private void saveCheckpoint(TrainingModel model, AdamW adam, Path checkpoints, int step, long tokens,
                                double seconds, ModelConfig config) throws IOException {
        String name = String.format(Locale.ROOT, "step-%08d", step);
        Path tmp = checkpoints.resolve("." + name + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        model.saveCheckpoint(tmp, java.util.Map.of("format", "pt", "step", Integer.toString(step)));
        adam.save(tmp.resolve("optimizer.safetensors"));
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step);
        state.put("tokens", tokens);
        state.put("seconds", seconds);
        state.set("run", runState(config));
        AtomicFiles.writeString(tmp.resolve("trainer_state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        Path dir = checkpoints.resolve(name);
        deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.writeString(checkpoints.resolve("latest"), name + "\n");
        try (Stream<Path> s = Files.list(checkpoints)) {
            List<Path> old = s.filter(p -> p.getFileName().toString().startsWith("step-"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
            for (int i = 0; i < old.size() - Math.max(1, o.keepCheckpoints); i++) {
                deleteTree(old.get(i));
            }
        }
        listener.onMessage("checkpoint " + dir);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static void appendLog(Path log, ObjectNode line) throws IOException {
        Files.writeString(log, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static void logEval(Path log, int step, Evaluation e, long tokens, double seconds) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", step);
        line.put("val_loss", e.natsPerToken());
        line.put("val_bits_per_byte", e.bitsPerByte());
        line.put("val_tokens", e.tokens());
        line.put("val_documents", e.documents());
        line.put("tokens", tokens);
        line.put("seconds", seconds);
        appendLog(log, line);
    }

    /** Drops log lines after {@code step} (written after the checkpoint a resumed run restarts from). */
    private static void truncateLog(Path log, int step) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= step) {
                kept.append(line).append('\n');
            }
        }
        AtomicFiles.writeString(log, kept.toString());
    }

    private static void readCurve(Path log, List<LossCurve.Point> train, List<LossCurve.Point> valid) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if (n.has("loss")) {
                train.add(new LossCurve.Point(n.get("step").asDouble(), n.get("loss").asDouble()));
            }
            if (n.has("val_loss")) {
                valid.add(new LossCurve.Point(n.get("step").asDouble(), n.get("val_loss").asDouble()));
            }
        }
    }
}
