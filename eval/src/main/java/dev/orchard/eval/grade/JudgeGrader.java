package dev.orchard.eval.grade;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchard.eval.judge.ChatClient;
import dev.orchard.eval.judge.Verdicts;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grades with an LLM judge over any OpenAI-compatible endpoint: the rubric of {@link SummaryDimensions}, the
 * instruction, the source and the response; the judge must answer with one JSON object mapping every dimension to
 * "good", "neutral" or "poor". Anything else (no JSON, a missing dimension, another word) is unparsed.
 */
public final class JudgeGrader implements Grader {

    private final ChatClient client;
    private final List<String> dimensions;
    private final String rubric;

    public JudgeGrader(ChatClient client) {
        this(client, SummaryDimensions.ALL, SummaryDimensions.RUBRIC);
    }

    /** A judge on custom dimensions with its own rubric text (one line per dimension). */
    public JudgeGrader(ChatClient client, List<String> dimensions, String rubric) {
        this.client = client;
        this.dimensions = List.copyOf(dimensions);
        this.rubric = rubric;
    }

    @Override
    public List<String> dimensions() {
        return dimensions;
    }

    String systemPrompt() {
        StringBuilder example = new StringBuilder("{");
        for (int i = 0; i < dimensions.size(); i++) {
            example.append(i == 0 ? "" : ", ").append('"').append(dimensions.get(i)).append("\": \"good\"");
        }
        example.append(", \"reason\": \"one or two sentences\"}");
        return "You grade an assistant's response on these dimensions, each as good, neutral or poor:\n" + rubric
                + "\nAnswer with one JSON object and nothing else, for example:\n" + example;
    }

    @Override
    public Verdict grade(GradeItem item) throws IOException {
        StringBuilder user = new StringBuilder("INSTRUCTION:\n").append(item.prompt()).append("\n\n");
        if (item.source() != null) {
            user.append("SOURCE:\n").append(item.source()).append("\n\n");
        }
        user.append("RESPONSE:\n").append(item.response());
        String answer = client.complete(List.of(new ChatClient.Message("system", systemPrompt()),
                new ChatClient.Message("user", user.toString())), 0, 300);
        return parse(answer);
    }

    Verdict parse(String answer) {
        Optional<JsonNode> json = Verdicts.firstJsonObject(answer);
        if (json.isEmpty()) {
            return Verdict.unparsed("no JSON verdict in the judge's answer");
        }
        Map<String, Grade> grades = new LinkedHashMap<>();
        for (String d : dimensions) {
            JsonNode v = json.get().get(d);
            Optional<Grade> g = v != null && v.isTextual() ? Grade.parse(v.asText()) : Optional.empty();
            if (g.isEmpty()) {
                return Verdict.unparsed("the judge gave no good/neutral/poor for '" + d + "'");
            }
            grades.put(d, g.get());
        }
        return new Verdict(grades, json.get().path("reason").asText(""));
    }
}
