package dev.orchard.core.model;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.format.GgufFile;
import dev.orchard.core.format.GgufSource;
import dev.orchard.core.format.SafeTensorsSource;
import dev.orchard.core.format.TensorSource;
import dev.orchard.core.quant.Encoding;
import dev.orchard.core.quant.KernelPath;
import dev.orchard.core.tokenizer.ByteTokenizer;
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
    public record Options(Encoding reencode, KernelPath kernels) {
        public Options(Encoding reencode) {
            this(reencode, null);
        }

        public static Options defaults() {
            return new Options(null, null);
        }
    }

    private final Path path;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final TensorSource source;
    private final String format;

    private LanguageModel(Path path, Transformer transformer, Tokenizer tokenizer, ChatTemplate chatTemplate,
                          TensorSource source, String format) {
        this.path = path;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
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
            Tokenizer tokenizer;
            Optional<ChatTemplate> chatTemplate;
            String format;
            if (Files.isRegularFile(path)) {
                GgufFile gguf = GgufFile.open(path);
                source = new GgufSource(gguf);
                config = GgufConfig.read(gguf);
                tokenizer = TokenizerLoading.fromGguf(gguf.metadata());
                chatTemplate = TokenizerLoading.chatTemplate(path, gguf.metadata());
                format = "gguf";
            } else {
                Path configJson = path.resolve("config.json");
                if (!Files.exists(configJson)) {
                    throw new FormatException("model directory " + path + " has no config.json");
                }
                config = ModelConfig.read(configJson);
                source = SafeTensorsSource.openDirectory(path);
                tokenizer = TokenizerLoading.fromDirectory(path);
                chatTemplate = TokenizerLoading.chatTemplate(path, null);
                format = "safetensors";
            }
            Transformer transformer = Transformer.load(config, source);
            if (options.reencode() != null) {
                transformer = transformer.reencode(options.reencode());
            }
            if (options.kernels() != null) {
                transformer = transformer.withKernels(options.kernels());
            }
            return new LanguageModel(path, transformer, tokenizer, chatTemplate.orElse(null), source, format);
        } catch (RuntimeException | IOException e) {
            if (source != null) {
                source.close();
            }
            throw e;
        }
    }


    /** Wraps an in-memory transformer (random benchmark models, tests) with the byte tokenizer. */
    public static LanguageModel of(Transformer transformer) {
        return new LanguageModel(null, transformer, new ByteTokenizer(), null, null, "memory");
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

    public Tokenizer tokenizer() {
        return tokenizer;
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

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
    }
}
