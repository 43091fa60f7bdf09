package dev.orchard.eval.ifeval;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scores the published GPT-4 responses with the prompt file made for them and checks the four numbers Google's
 * reference scorer prints for them today.
 */
class IfEvalConformanceTest {

    private static List<IfEvalPrompt> prompts;
    private static Map<String, String> responses;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of(System.getProperty("orchard.repo")).resolve("testdata/ifeval");
        prompts = IfEval.readPrompts(dir.resolve("input_data_gpt4_20231107_145030.jsonl"));
        responses = IfEval.readResponses(dir.resolve("input_response_data_gpt4_20231107_145030.jsonl"));
    }

    private static int[] counts(List<PromptResult> results) {
        int prompts = 0;
        int instructions = 0;
        int total = 0;
        for (PromptResult r : results) {
            prompts += r.followAllInstructions() ? 1 : 0;
            for (boolean b : r.followInstructionList()) {
                instructions += b ? 1 : 0;
                total++;
            }
        }
        return new int[] {prompts, results.size(), instructions, total};
    }

    @Test
    void strictMatchesReference() {
        int[] c = counts(IfEval.score(prompts, responses, IfEval.Mode.STRICT));
        assertThat(c).containsExactly(417, 541, 698, 834);
    }

    @Test
    void looseMatchesReference() {
        int[] c = counts(IfEval.score(prompts, responses, IfEval.Mode.LOOSE));
        assertThat(c).containsExactly(431, 541, 714, 834);
    }
}
