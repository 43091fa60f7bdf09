package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.AtomicFiles;
import dev.orchard.core.format.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where tokenizers come from: a tokenizer.json file, a Hugging Face model directory (tokenizer.json plus
 * tokenizer_config.json), or a GGUF file's metadata; and where they go (tokenizer.json, tokenizer_config.json).
 */
public final class Tokenizers {

    private static final String TOKENIZER_JSON = "tokenizer.json";
    private static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private Tokenizers() {
    }

    /**
     * Loads the tokenizer at {@code path}: a tokenizer.json file, a directory holding tokenizer.json (whose
     * tokenizer_config.json, when present, sets BOS/EOS/PAD and add_bos_token/add_eos_token), or a .gguf file.
     */
    public static BpeTokenizer load(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path json = path.resolve(TOKENIZER_JSON);
            if (!Files.exists(json)) {
                throw new NoSuchFileException(json.toString(), null, "the directory has no tokenizer.json");
            }
            BpeTokenizer tokenizer = fromTokenizerJson(json);
            Path config = path.resolve(TOKENIZER_CONFIG);
            return Files.exists(config) ? applyConfig(tokenizer, readJson(config)) : tokenizer;
        }
        if (GgufFile.isGguf(path)) {
            try (GgufFile gguf = GgufFile.open(path)) {
                return fromGgufMetadata(gguf.metadata());
            }
        }
        return fromTokenizerJson(path);
    }

    /** Reads a tokenizer.json file. */
    public static BpeTokenizer fromTokenizerJson(Path file) throws IOException {
        try {
            return TokenizerJsonReader.read(readJson(file));
        } catch (TokenizerFormatException e) {
            throw new TokenizerFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses tokenizer.json text. */
    public static BpeTokenizer fromTokenizerJsonString(String json) {
        try {
            return TokenizerJsonReader.read(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException("tokenizer.json is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Builds the tokenizer stored in GGUF metadata (as {@link GgufFile#metadata()} returns it). */
    public static BpeTokenizer fromGgufMetadata(Map<String, Object> metadata) {
        return GgufTokenizer.fromMetadata(metadata);
    }

    /**
     * A byte-level BPE tokenizer of exactly {@code vocabSize} tokens with BOS/EOS at the given ids (-1: none), for
     * random-weight models: lossless on any text, accepted by other tools, but with enumerated rather than learned
     * merges (lower-case letter strings, with and without a leading space), so its token boundaries mean nothing.
     * Orchard's pad token and chat markers are included when the vocabulary has room.
     */
    public static BpeTokenizer synthetic(int vocabSize, int bosId, int eosId) {
        return SyntheticTokenizer.create(vocabSize, bosId, eosId);
    }

    /**
     * The tokenizer as GGUF metadata ({@code tokenizer.ggml.*} as llama.cpp's converter writes them, plus
     * {@code tokenizer.chat_template} when a template is given), its tokens padded with unused {@code [PAD<i>]}
     * entries to the model's {@code vocabSize}.
     *
     * @throws IllegalArgumentException when the tokenizer cannot be described in GGUF (e.g. a pre-tokenizer
     *                                  llama.cpp has no name for) or is larger than the model's vocabulary
     */
    public static Map<String, Object> ggufMetadata(BpeTokenizer tokenizer, int vocabSize, ChatTemplate chatTemplate) {
        Map<String, Object> md = GgufTokenizerWriter.metadata(tokenizer, vocabSize);
        if (chatTemplate != null) {
            md.put("tokenizer.chat_template", chatTemplate.source());
        }
        return md;
    }

    /**
     * The chat template of a model: tokenizer_config.json's {@code chat_template} for a directory (or the
     * directory of a tokenizer.json file), {@code tokenizer.chat_template} for a .gguf. Empty when there is none.
     */
    public static Optional<ChatTemplate> chatTemplate(Path modelDirOrFile) throws IOException {
        if (GgufFile.isGguf(modelDirOrFile)) {
            try (GgufFile gguf = GgufFile.open(modelDirOrFile)) {
                return chatTemplate(gguf.metadata());
            }
        }
        Path dir = Files.isDirectory(modelDirOrFile) ? modelDirOrFile : modelDirOrFile.toAbsolutePath().getParent();
        Path config = dir == null ? null : dir.resolve(TOKENIZER_CONFIG);
        if (config == null || !Files.exists(config)) {
            return Optional.empty();
        }
        JsonNode root = readJson(config);
        JsonNode template = root.get("chat_template");
        String source = null;
        if (template != null && template.isTextual()) {
            source = template.asText();
        } else if (template != null && template.isArray()) { // [{"name": "default", "template": ...}, ...]
            for (JsonNode t : template) {
                if ("default".equals(t.path("name").asText()) || source == null) {
                    source = t.path("template").asText(null);
                }
            }
        }
        if (source == null) {
            return Optional.empty();
        }
        return Optional.of(ChatTemplate.of(source, tokenName(root.get("bos_token")), tokenName(root.get("eos_token"))));
    }

    /** The chat template in GGUF metadata, with BOS/EOS texts from its token list. */
    public static Optional<ChatTemplate> chatTemplate(Map<String, Object> metadata) {
        Object source = metadata.get("tokenizer.chat_template");
        if (!(source instanceof String s)) {
            return Optional.empty();
        }
        return Optional.of(ChatTemplate.of(s, ggufToken(metadata, "tokenizer.ggml.bos_token_id"),
                ggufToken(metadata, "tokenizer.ggml.eos_token_id")));
    }

    /**
     * Writes a Hugging Face tokenizer directory: tokenizer.json and a tokenizer_config.json naming BOS/EOS/PAD and
     * the chat template (if given), so that transformers' {@code AutoTokenizer.from_pretrained(dir)} loads it.
     */
    public static void save(BpeTokenizer tokenizer, Path dir, ChatTemplate chatTemplate) throws IOException {
        Files.createDirectories(dir);
        tokenizer.save(dir.resolve(TOKENIZER_JSON));
        ObjectNode config = Json.object();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        putToken(config, "bos_token", tokenizer, tokenizer.bosId().orElse(-1));
        putToken(config, "eos_token", tokenizer, tokenizer.eosId().orElse(-1));
        putToken(config, "pad_token", tokenizer, tokenizer.padId().orElse(-1));
        config.put("add_bos_token", tokenizer.addsBos());
        config.put("add_eos_token", tokenizer.addsEos());
        config.put("clean_up_tokenization_spaces", false);
        config.put("model_max_length", 1_000_000_000_000_000_019L);
        if (chatTemplate != null) {
            config.put("chat_template", chatTemplate.source());
        }
        AtomicFiles.write(dir.resolve(TOKENIZER_CONFIG),
                out -> out.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config)));
    }

    private static void putToken(ObjectNode config, String field, BpeTokenizer tokenizer, int id) {
        if (id >= 0) {
            config.put(field, tokenizer.tokenText(id));
        } else {
            config.putNull(field);
        }
    }

    static BpeTokenizer applyConfig(BpeTokenizer tokenizer, JsonNode config) {
        int bos = configToken(tokenizer, config, "bos_token", tokenizer.bosId().orElse(-1));
        int eos = configToken(tokenizer, config, "eos_token", tokenizer.eosId().orElse(-1));
        int pad = configToken(tokenizer, config, "pad_token", tokenizer.padId().orElse(-1));
        JsonNode addBos = config.get("add_bos_token");
        JsonNode addEos = config.get("add_eos_token");
        if ((addBos == null || !addBos.isBoolean()) && (addEos == null || !addEos.isBoolean())) {
            return tokenizer.withIds(bos, eos, pad);
        }
        boolean bosOn = addBos != null && addBos.isBoolean() ? addBos.asBoolean() : tokenizer.addsBos();
        boolean eosOn = addEos != null && addEos.isBoolean() ? addEos.asBoolean() : tokenizer.addsEos();
        return tokenizer.withSpecialTokens(bos, eos, pad, bosOn && bos >= 0, eosOn && eos >= 0);
    }

    private static int configToken(BpeTokenizer tokenizer, JsonNode config, String field, int otherwise) {
        String name = tokenName(config.get(field));
        if (name == null) {
            return otherwise;
        }
        return tokenizer.tokenId(name).orElseThrow(() -> new TokenizerFormatException(
                TOKENIZER_CONFIG + " " + field + " \"" + name + "\" is not in the vocabulary"));
    }

    /** A token in tokenizer_config.json: a string, or an AddedToken object with "content". */
    private static String tokenName(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        JsonNode content = node.get("content");
        return content != null && content.isTextual() ? content.asText() : null;
    }

    private static String ggufToken(Map<String, Object> metadata, String key) {
        if (metadata.get(key) instanceof Number n && metadata.get("tokenizer.ggml.tokens") instanceof java.util.List<?> l
                && n.longValue() >= 0 && n.longValue() < l.size()) {
            return String.valueOf(l.get((int) n.longValue()));
        }
        return null;
    }

    private static JsonNode readJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Json.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

}
