package dev.orchard.core.model;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.GgufFile;
import dev.orchard.core.format.GgufSource;
import dev.orchard.core.format.SafeTensorsSource;
import dev.orchard.core.format.TensorSource;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.KernelPath;
import dev.orchard.core.tokenizer.BpeTokenizer;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded model: its config, memory-mapped weights and tokenizer. The entry point of the inference API:
 * <pre>{@code
 * try (LanguageModel lm = LanguageModel.load(Path.of("models/orchard-stories"))) {
 *     Session s = lm.newSession(512);
 *     float[] logits = s.prefill(lm.tokenizer().encode("Once upon a time", true));
 * }
 * }</pre>
 * Paths may be a Hugging Face model directory (config.json + safetensors, sharded or not) or a {@code .gguf} file.
 */
public final class LanguageModel implements AutoCloseable {

    /**
     * How to load: optionally re-encode every weight matrix (e.g. quantize an F32 checkpoint to Q8_0 on load), and
     * optionally force a kernel path (null: the fastest for each encoding).
     */
    public record Options(Encoding reencode, KernelPath kernels, Path tokenizer) {
        public Options(Encoding reencode) {
            this(reencode, null, null);
        }

        public Options(Encoding reencode, KernelPath kernels) {
            this(reencode, kernels, null);
        }

        public static Options defaults() {
            return new Options(null, null, null);
        }

        /**
         * The same options with the tokenizer (and chat template) taken from {@code tokenizer}, a model directory,
         * a tokenizer.json or a .gguf file, instead of from the checkpoint: for checkpoints stored without one.
         */
        public Options withTokenizer(Path tokenizer) {
            return new Options(reencode, kernels, tokenizer);
        }
    }

    private final Path path;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final String missingTokenizer;
    private final ChatTemplate chatTemplate;
    private final GenerationDefaults generationDefaults;
    private final TensorSource source;
    private final String format;

    private LanguageModel(Path path, Transformer transformer, TokenizerLoading.Found tokenizer,
                          GenerationDefaults generationDefaults, TensorSource source, String format) {
        this.path = path;
        this.transformer = transformer;
        this.tokenizer = tokenizer.tokenizer();
        this.missingTokenizer = tokenizer.missing();
        this.chatTemplate = tokenizer.chatTemplate();
        this.generationDefaults = generationDefaults;
        this.source = source;
        this.format = format;
    }

    public static LanguageModel load(Path path) throws IOException {
        return load(path, Options.defaults());
    }

    public static LanguageModel load(Path path, Options options) throws IOException {
        if (!Files.exists(path)) {
            throw new FormatException("model " + path + " does not exist");
        }
        if (Files.isRegularFile(path) && !GgufFile.isGguf(path)) {
            path = path.toAbsolutePath().getParent(); // config.json or model.safetensors given: use its directory
        }
        TensorSource source = null;
        try {
            ModelConfig config;
            TokenizerLoading.Found tokenizer;
            GenerationDefaults generation;
            String format;
            if (Files.isRegularFile(path)) {
                GgufFile gguf = GgufFile.open(path);
                source = new GgufSource(gguf);
                config = GgufConfig.read(gguf);
                tokenizer = TokenizerLoading.fromGguf(path, gguf.metadata());
                generation = GenerationDefaults.fromModelConfig(config);
                format = "gguf";
            } else {
                Path configJson = path.resolve("config.json");
                if (!Files.exists(configJson)) {
                    throw new FormatException("model directory " + path + " has no config.json");
                }
                config = ModelConfig.read(configJson);
                source = SafeTensorsSource.openDirectory(path);
                tokenizer = TokenizerLoading.fromDirectory(path);
                generation = GenerationDefaults.read(path).orElseGet(() -> GenerationDefaults.fromModelConfig(config));
                format = "safetensors";
            }
            if (options.tokenizer() != null) {
                tokenizer = TokenizerLoading.fromPath(options.tokenizer());
            }
            tokenizer.checkFits(config.vocabSize());
            tokenizer.warnIfMissing();
            Transformer transformer = Transformer.load(config, source);
            if (options.reencode() != null) {
                transformer = transformer.reencode(options.reencode());
            }
            if (options.kernels() != null) {
                transformer = transformer.withKernels(options.kernels());
            }
            return new LanguageModel(path, transformer, tokenizer, generation, source, format);
        } catch (RuntimeException | IOException e) {
            if (source != null) {
                source.close();
            }
            throw e;
        }
    }


    /**
     * Wraps an in-memory transformer (random benchmark models, tests) with {@link RandomModels#tokenizer}, a
     * tokenizer of its vocabulary size, and Orchard's chat template when that tokenizer has the chat markers.
     */
    public static LanguageModel of(Transformer transformer) {
        BpeTokenizer tokenizer = RandomModels.tokenizer(transformer.config());
        ChatTemplate template = tokenizer.tokenId(ChatTemplate.END_OF_TURN).isPresent() ? ChatTemplate.orchardDefault() : null;
        return of(transformer, tokenizer, template);
    }

    /** Wraps an in-memory transformer with a tokenizer and (nullable) chat template. */
    public static LanguageModel of(Transformer transformer, Tokenizer tokenizer, ChatTemplate chatTemplate) {
        TokenizerLoading.Found found = new TokenizerLoading.Found(tokenizer, chatTemplate, null);
        found.checkFits(transformer.config().vocabSize());
        return new LanguageModel(null, transformer, found, GenerationDefaults.fromModelConfig(transformer.config()),
                null, "memory");
    }

    public Path path() {
        return path;
    }

    /** "gguf", "safetensors" or "memory". */
    public String format() {
        return format;
    }

    public ModelConfig config() {
        return transformer.config();
    }

    public Transformer transformer() {
        return transformer;
    }

    /**
     * The checkpoint's tokenizer.
     *
     * @throws FormatException naming what is missing when the checkpoint has none (load it with
     *                         {@link Options#withTokenizer} then)
     */
    public Tokenizer tokenizer() {
        if (tokenizer == null) {
            throw new FormatException(missingTokenizer);
        }
        return tokenizer;
    }

    /** Whether the checkpoint came with a tokenizer (else {@link #tokenizer()} throws). */
    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /** What generation_config.json says (EOS ids, sampling defaults); from config.json's ids when absent. */
    public GenerationDefaults generationDefaults() {
        return generationDefaults;
    }

    /** The checkpoint's chat template (tokenizer_config.json or GGUF metadata), if it has one. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** Tensor names with encodings and shapes as stored (for {@code orchard inspect}). */
    public Map<String, String> describeTensors() {
        return source == null ? Map.of() : source.describe();
    }

    /** A fresh sequence with room for {@code maxContext} tokens. */
    public Session newSession(int maxContext) {
        return new Session(transformer, maxContext);
    }

    public Session newSession(int maxContext, LoraAdapter adapter) {
        return new Session(transformer, maxContext, adapter);
    }

    /** Logits after every token of a fresh sequence: {@code tokens.length * vocab} floats. */
    public float[] logits(int[] tokens) {
        return newSession(tokens.length).prefillAll(tokens);
    }

    /**
     * Loads a PEFT adapter for this model (validated against its shapes). For a GGUF llama base the q/k factors are
     * permuted to its RoPE layout, so an adapter trained on the Hugging Face checkpoint applies to its GGUF too.
     */
    public LoraAdapter loadAdapter(Path dir) throws IOException {
        LoraAdapter adapter = LoraAdapter.load(dir, config());
        return transformer.adjacentPairRope() ? adapter.forAdjacentPairRope(config()) : adapter;
    }

    /**
     * This model with {@code adapter} folded into its weights ({@code W + scale * B A}, each merged projection
     * encoded as {@code encoding}, null: as the base's), with the same tokenizer, chat template and generation
     * defaults: for {@link Checkpoints#saveHf(LanguageModel, Path, Encoding, boolean)} or serving without the
     * adapter's per-token cost. Unmerged tensors are shared with this model, so close this one only after the
     * merged one is no longer used; closing the merged one does nothing.
     */
    public LanguageModel merged(LoraAdapter adapter, Encoding encoding) {
        Transformer t = dev.orchard.core.adapter.LoraMerge.merge(transformer, adapter, encoding);
        return new LanguageModel(path, t, new TokenizerLoading.Found(tokenizer, chatTemplate, missingTokenizer),
                generationDefaults, null, format);
    }

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
    }
}
