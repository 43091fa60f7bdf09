package dev.orchard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.format.FormatException;
import dev.orchard.core.generate.SamplingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a checkpoint's {@code generation_config.json} says about generating: the EOS ids to stop at and sampling
 * defaults. Each value is empty when the file does not give it; callers apply what is present unless the user
 * overrides it. {@code do_sample: false} means greedy, as in transformers.
 *
 * @param json the file's content as read, written back unchanged by conversions (keys Orchard does not use
 *             included)
 */
public record GenerationDefaults(List<Integer> eosTokenIds, Optional<Boolean> doSample, Optional<Double> temperature,
                                 Optional<Integer> topK, Optional<Double> topP, Optional<Double> minP,
                                 Optional<Double> repetitionPenalty, Optional<Integer> maxNewTokens, ObjectNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "generation_config.json";

    public GenerationDefaults {
        eosTokenIds = List.copyOf(eosTokenIds);
        json = json.deepCopy();
    }

    /** Nothing known: stop at the config's EOS ids, sample with the caller's defaults. */
    public static GenerationDefaults none() {
        return fromJson(JSON.createObjectNode());
    }

    /** The defaults a checkpoint's config implies when it has no generation_config.json: its BOS/EOS ids. */
    static GenerationDefaults fromModelConfig(ModelConfig c) {
        ObjectNode gen = JSON.createObjectNode();
        if (c.bosTokenId() >= 0) {
            gen.put("bos_token_id", c.bosTokenId());
        }
        if (c.eosTokenIds().size() == 1) {
            gen.put("eos_token_id", c.eosTokenIds().get(0));
        } else if (!c.eosTokenIds().isEmpty()) {
            c.eosTokenIds().forEach(gen.putArray("eos_token_id")::add);
        }
        return fromJson(gen);
    }

    /** Reads {@code dir/generation_config.json}; empty when the directory has none. */
    static Optional<GenerationDefaults> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FormatException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode o)) {
            throw new FormatException(file + ": not a JSON object");
        }
        try {
            return Optional.of(fromJson(o));
        } catch (IllegalArgumentException e) {
            throw new FormatException(file + ": " + e.getMessage());
        }
    }

    static GenerationDefaults fromJson(ObjectNode o) {
        List<Integer> eos = new ArrayList<>();
        JsonNode e = o.path("eos_token_id");
        if (e.isArray()) {
            e.forEach(n -> eos.add(integer(n, "eos_token_id")));
        } else if (!e.isMissingNode() && !e.isNull()) {
            eos.add(integer(e, "eos_token_id"));
        }
        return new GenerationDefaults(eos, bool(o, "do_sample"), number(o, "temperature"), integer(o, "top_k"),
                number(o, "top_p"), number(o, "min_p"), number(o, "repetition_penalty"), integer(o, "max_new_tokens"), o);
    }

    private static int integer(JsonNode n, String key) {
        if (!n.canConvertToInt()) {
            throw new IllegalArgumentException(key + " must be an integer, not " + n);
        }
        return n.asInt();
    }

    private static Optional<Integer> integer(ObjectNode o, String key) {
        JsonNode n = o.get(key);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(integer(n, key));
    }

    private static Optional<Double> number(ObjectNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, not " + n);
        }
        return Optional.of(n.asDouble());
    }

    private static Optional<Boolean> bool(ObjectNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, not " + n);
        }
        return Optional.of(n.asBoolean());
    }

    /**
     * {@code base} with the sampling values this file gives put in: {@code do_sample: false} makes it greedy
     * (temperature 0), and temperature, top_k, top_p, min_p and repetition_penalty replace the base's. Callers
     * apply the user's explicit choices after this, so flags override the checkpoint's defaults.
     */
    public SamplingConfig applyTo(SamplingConfig base) {
        boolean greedy = doSample.isPresent() && !doSample.get();
        return new SamplingConfig(greedy ? 0 : temperature.orElse(base.temperature()), topK.orElse(base.topK()),
                topP.orElse(base.topP()), minP.orElse(base.minP()), repetitionPenalty.orElse(base.repetitionPenalty()),
                base.seed());
    }

    /** The file's text, as written into converted checkpoints. */
    String toJsonText() throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
    }
}
