package dev.orchard.eval.ifeval;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One line of an IFEval prompt file ({@code input_data.jsonl}).
 *
 * @param key            the prompt's id
 * @param prompt         the text given to the model
 * @param instructionIds the verifiable instructions in the prompt, e.g. {@code punctuation:no_comma}
 * @param kwargs         the arguments of each instruction, in the same order (JSON objects)
 */
public record IfEvalPrompt(long key, String prompt, List<String> instructionIds, List<JsonNode> kwargs) {

    public IfEvalPrompt {
        instructionIds = List.copyOf(instructionIds);
        kwargs = List.copyOf(kwargs);
        if (instructionIds.size() != kwargs.size()) {
            throw new IllegalArgumentException("prompt " + key + ": " + instructionIds.size()
                    + " instruction ids but " + kwargs.size() + " kwargs");
        }
    }
}
