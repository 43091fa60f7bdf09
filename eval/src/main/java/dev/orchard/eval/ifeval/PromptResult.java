package dev.orchard.eval.ifeval;

import java.util.List;

/**
 * The reference's {@code OutputExample}: how one response fared on its prompt's instructions.
 *
 * @param instructionIds        the prompt's instructions
 * @param prompt                the prompt text
 * @param response              the response scored
 * @param followAllInstructions whether every instruction was followed
 * @param followInstructionList per instruction, whether it was followed
 */
public record PromptResult(List<String> instructionIds, String prompt, String response,
                           boolean followAllInstructions, List<Boolean> followInstructionList) {

    public PromptResult {
        instructionIds = List.copyOf(instructionIds);
        followInstructionList = List.copyOf(followInstructionList);
    }

    /**
     * The line the reference's {@code write_outputs} writes: attributes in alphabetical order, Python's
     * {@code json.dumps} spacing and ASCII escaping.
     */
    public String toReferenceJson() {
        StringBuilder b = new StringBuilder(response.length() + prompt.length() + 256);
        b.append("{\"follow_all_instructions\": ").append(followAllInstructions);
        b.append(", \"follow_instruction_list\": [");
        for (int i = 0; i < followInstructionList.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(followInstructionList.get(i));
        }
        b.append("], \"instruction_id_list\": [");
        for (int i = 0; i < instructionIds.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            PyJson.appendString(b, instructionIds.get(i));
        }
        b.append("], \"prompt\": ");
        PyJson.appendString(b, prompt);
        b.append(", \"response\": ");
        PyJson.appendString(b, response);
        return b.append('}').toString();
    }
}
