package dev.orchard.eval.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchard.eval.judge.ChatClient;
import dev.orchard.eval.judge.Verdicts;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks an LLM judge which of two responses is better, expecting {@code {"winner": "A"|"B"|"tie"}}; anything else
 * is unparsed. Judges favour one position, which is why {@link CompareRun} asks in both orders.
 */
public final class LlmPairwiseJudge implements PairwiseJudge {

    static final String SYSTEM = """
            You compare two assistant responses, A and B, to the same instruction. Judge which one follows the \
            instruction better and is more helpful, accurate (grounded in the source, if one is given), clear and \
            harmless. Length is not a merit by itself. If they are equally good, say tie.
            Answer with one JSON object and nothing else: {"winner": "A" or "B" or "tie", "reason": "one sentence"}""";

    private final ChatClient client;

    public LlmPairwiseJudge(ChatClient client) {
        this.client = client;
    }

    @Override
    public Optional<Preference> prefer(String prompt, String source, String first, String second) throws IOException {
        StringBuilder user = new StringBuilder("INSTRUCTION:\n").append(prompt).append("\n\n");
        if (source != null) {
            user.append("SOURCE:\n").append(source).append("\n\n");
        }
        user.append("RESPONSE A:\n").append(first).append("\n\nRESPONSE B:\n").append(second);
        String answer = client.complete(List.of(new ChatClient.Message("system", SYSTEM),
                new ChatClient.Message("user", user.toString())), 0, 150);
        return parse(answer);
    }

    static Optional<Preference> parse(String answer) {
        Optional<JsonNode> json = Verdicts.firstJsonObject(answer);
        if (json.isEmpty() || !json.get().path("winner").isTextual()) {
            return Optional.empty();
        }
        return switch (json.get().get("winner").asText().strip().toLowerCase(Locale.ROOT)) {
            case "a" -> Optional.of(Preference.FIRST);
            case "b" -> Optional.of(Preference.SECOND);
            case "tie" -> Optional.of(Preference.TIE);
            default -> Optional.empty();
        };
    }
}
