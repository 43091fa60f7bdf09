package dev.orchard.eval.ifeval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orchard.core.format.JsonLines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * IFEval (Zhou et al. 2023, "Instruction-Following Evaluation for Large Language Models"): scores responses against
 * the verifiable instructions of their prompts, strictly and loosely, exactly as Google's reference
 * ({@code google-research/instruction_following_eval}) does.
 */
public final class IfEval {

    /** How a response is read. */
    public enum Mode {
        /** The response as given. */
        STRICT,
        /**
         * Also the response without its first line, its last line or both, each with and without asterisks: an
         * instruction counts as followed if any of the eight variants follows it.
         */
        LOOSE
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private IfEval() {
    }

    /** Reads a prompt file: one JSON object per line with key, prompt, instruction_id_list and kwargs. */
    public static List<IfEvalPrompt> readPrompts(Path file) throws IOException {
        List<IfEvalPrompt> out = new ArrayList<>();
        JsonLines.forEach(file, (lineNo, node) -> {
            List<String> ids = new ArrayList<>();
            for (JsonNode id : required(node, "instruction_id_list", file, lineNo)) {
                ids.add(id.asText());
            }
            List<JsonNode> kwargs = new ArrayList<>();
            for (JsonNode k : required(node, "kwargs", file, lineNo)) {
                kwargs.add(k);
            }
            out.add(new IfEvalPrompt(required(node, "key", file, lineNo).asLong(),
                    required(node, "prompt", file, lineNo).asText(), ids, kwargs));
        });
        return out;
    }

    /** Reads a response file: one JSON object per line with prompt and response; later lines win, as in Python. */
    public static Map<String, String> readResponses(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        JsonLines.forEach(file, (lineNo, node) -> out.put(required(node, "prompt", file, lineNo).asText(),
                required(node, "response", file, lineNo).asText()));
        return out;
    }

    /**
     * Scores every prompt's response.
     *
     * @throws IllegalArgumentException when a prompt has no response (naming the keys), or an instruction is
     *                                  unknown or badly configured
     */
    public static List<PromptResult> score(List<IfEvalPrompt> prompts, Map<String, String> responses, Mode mode) {
        requireCoverage(prompts, responses);
        List<PromptResult> out = new ArrayList<>(prompts.size());
        for (IfEvalPrompt p : prompts) {
            out.add(score(p, responses.get(p.prompt()), mode));
        }
        return out;
    }

    /** Scores one response against its prompt's instructions. */
    public static PromptResult score(IfEvalPrompt prompt, String response, Mode mode) {
        List<String> variants = mode == Mode.STRICT ? List.of(response) : looseVariants(response);
        List<Boolean> followed = new ArrayList<>();
        for (int i = 0; i < prompt.instructionIds().size(); i++) {
            String id = prompt.instructionIds().get(i);
            Instruction instruction = InstructionRegistry.create(id, new Kwargs(id, prompt.kwargs().get(i)));
            boolean ok = false;
            for (String v : variants) {
                if (!PyText.strip(v).isEmpty() && instruction.check(v)) {
                    ok = true;
                    break;
                }
            }
            followed.add(ok);
        }
        boolean all = followed.stream().allMatch(Boolean::booleanValue);
        return new PromptResult(prompt.instructionIds(), prompt.prompt(), response, all, followed);
    }

    /** The eight readings of {@code test_instruction_following_loose}, in its order. */
    static List<String> looseVariants(String response) {
        List<String> lines = PyText.split(response, "\n");
        String removeFirst = PyText.strip(String.join("\n", lines.subList(Math.min(1, lines.size()), lines.size())));
        String removeLast = PyText.strip(String.join("\n", lines.subList(0, Math.max(0, lines.size() - 1))));
        String removeBoth = lines.size() < 2 ? ""
                : PyText.strip(String.join("\n", lines.subList(1, lines.size() - 1)));
        return List.of(response, response.replace("*", ""), removeFirst, removeLast, removeBoth,
                removeFirst.replace("*", ""), removeLast.replace("*", ""), removeBoth.replace("*", ""));
    }

    /** Answers every prompt with {@code responder}, in order; {@code progress} hears the count done. */
    public static Map<String, String> respond(List<IfEvalPrompt> prompts, Function<String, String> responder,
                                              IntConsumer progress) {
        Map<String, String> out = new LinkedHashMap<>();
        for (IfEvalPrompt p : prompts) {
            out.put(p.prompt(), responder.apply(p.prompt()));
            if (progress != null) {
                progress.accept(out.size());
            }
        }
        return out;
    }

    /** Writes responses in the reference's input_response_data format: {@code {"prompt": ..., "response": ...}}. */
    public static void writeResponses(Path file, Map<String, String> responses) throws IOException {
        StringBuilder b = new StringBuilder();
        responses.forEach((prompt, response) -> {
            b.append("{\"prompt\": ");
            PyJson.appendString(b, prompt);
            b.append(", \"response\": ");
            PyJson.appendString(b, response);
            b.append("}\n");
        });
        dev.orchard.core.format.AtomicFiles.writeString(file, b.toString());
    }

    private static void requireCoverage(List<IfEvalPrompt> prompts, Map<String, String> responses) {
        List<Long> missing = new ArrayList<>();
        for (IfEvalPrompt p : prompts) {
            if (!responses.containsKey(p.prompt())) {
                missing.add(p.key());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Missing responses for input task keys: " + missing
                    + " (responses are matched to prompts by their exact prompt text)");
        }
    }

    private static JsonNode required(JsonNode node, String field, Path file, int lineNo) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": missing field '" + field + "'");
        }
        return v;
    }
}
