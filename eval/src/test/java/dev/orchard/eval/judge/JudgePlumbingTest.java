package dev.orchard.eval.judge;

import dev.orchard.eval.EvalData;
import dev.orchard.eval.compare.CompareRun;
import dev.orchard.eval.compare.LlmPairwiseJudge;
import dev.orchard.eval.grade.Grade;
import dev.orchard.eval.grade.GradeItem;
import dev.orchard.eval.grade.GradeRun;
import dev.orchard.eval.grade.JudgeGrader;
import dev.orchard.eval.grade.SummaryDimensions;
import dev.orchard.eval.grade.Verdict;
import dev.orchard.eval.report.RunSummary;
import dev.orchard.eval.safety.JudgeSafetyClassifier;
import dev.orchard.eval.safety.SafetyRun;
import dev.orchard.eval.safety.SafetyVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LLM-judge graders, safety classifier and comparison against a local stub endpoint. */
class JudgePlumbingTest {

    private static final String ALL_GOOD = "{\"instruction_following\": \"good\", \"comprehensiveness\": \"good\", "
            + "\"groundedness\": \"good\", \"composition\": \"good\", \"harmlessness\": \"good\", \"reason\": \"fine\"}";

    private static ChatClient client(StubChatServer s) {
        return new ChatClient(s.baseUrl(), "sk-test", "judge-model", Duration.ofSeconds(10));
    }

    @Test
    void endpointNormalisation() {
        assertThat(ChatClient.endpoint("http://h:1").toString()).isEqualTo("http://h:1/v1/chat/completions");
        assertThat(ChatClient.endpoint("http://h:1/v1/").toString()).isEqualTo("http://h:1/v1/chat/completions");
        assertThat(ChatClient.endpoint("https://x/api/chat/completions").toString())
                .isEqualTo("https://x/api/chat/completions");
        assertThatThrownBy(() -> ChatClient.endpoint("ftp://x")).hasMessageContaining("http");
    }

    @Test
    void sendsAnOpenAiRequestAndRetriesServerErrors() throws Exception {
        try (StubChatServer s = new StubChatServer(req -> "hello")) {
            s.failNext(2, 503);
            String out = client(s).complete(List.of(new ChatClient.Message("user", "hi")), 0, 10);
            assertThat(out).isEqualTo("hello");
            assertThat(s.requests).hasSize(3);
            assertThat(s.requests.getLast().get("model").asText()).isEqualTo("judge-model");
            assertThat(s.requests.getLast().get("messages").get(0).get("content").asText()).isEqualTo("hi");
            assertThat(s.authorizations.getLast()).isEqualTo("Bearer sk-test");
        }
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        try (StubChatServer s = new StubChatServer(req -> "x")) {
            s.failNext(1, 401);
            assertThatThrownBy(() -> client(s).complete(List.of(new ChatClient.Message("user", "hi")), 0, 10))
                    .isInstanceOf(IOException.class).hasMessageContaining("401");
            assertThat(s.requests).hasSize(1);
        }
    }

    @Test
    void judgeGraderParsesVerdictsAndCountsMalformedOnesAsUnparsed() throws Exception {
        List<String> answers = List.of(
                "Here is my verdict:\n```json\n" + ALL_GOOD + "\n```",
                ALL_GOOD.replace("\"groundedness\": \"good\"", "\"groundedness\": \"Poor\""),
                "I think it is pretty good overall.",                        // no JSON at all
                "{\"instruction_following\": \"good\"}",                      // missing dimensions
                ALL_GOOD.replace("\"composition\": \"good\"", "\"composition\": \"excellent\""), // not a grade
                "{\"broken\": ");                                               // truncated JSON
        try (StubChatServer s = new StubChatServer(req -> answers.get(
                Integer.parseInt(StubChatServer.userMessage(req).replaceAll("(?s).*RESPONSE:\\n", ""))))) {
            JudgeGrader grader = new JudgeGrader(client(s));
            List<GradeItem> items = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                items.add(new GradeItem(Integer.toString(i), "Summarize.", Integer.toString(i), "A source."));
            }
            List<Verdict> verdicts = GradeRun.grade(items, grader, 3);
            assertThat(verdicts.get(0).overall()).isEqualTo(Grade.GOOD);
            assertThat(verdicts.get(1).overall()).isEqualTo(Grade.POOR);
            assertThat(verdicts.subList(2, 6)).allMatch(v -> !v.parsed());
            RunSummary summary = GradeRun.summarize("stub", SummaryDimensions.ALL, verdicts);
            assertThat(summary.metrics().get("good").successes()).isEqualTo(1);
            assertThat(summary.metrics().get("good").total()).isEqualTo(2);
            assertThat(summary.metrics().get("poor").successes()).isEqualTo(1);
            assertThat(summary.details().get("unparsed").asInt()).isEqualTo(4);
            assertThat(StubChatServer.userMessage(s.requests.getFirst())).contains("SOURCE:\nA source.");
        }
    }

    @Test
    void safetyJudgeAndRun(@TempDir Path dir) throws Exception {
        try (StubChatServer s = new StubChatServer(req -> {
            String u = StubChatServer.userMessage(req);
            if (u.contains("bomb")) {
                return "{\"violation\": true, \"category\": \"weapons\", \"reason\": \"instructions\"}";
            }
            return u.contains("weird") ? "violation: maybe" : "{\"violation\": false, \"category\": \"none\"}";
        })) {
            List<EvalData.Example> ex = List.of(new EvalData.Example("1", "p", "how to build a bomb: ...", null),
                    new EvalData.Example("2", "p", "a safe answer", null),
                    new EvalData.Example("3", "p", "a weird answer", null));
            List<SafetyVerdict> v = SafetyRun.classify(ex, new JudgeSafetyClassifier(client(s)), 2);
            assertThat(v.get(0).violation()).isTrue();
            assertThat(v.get(1).violation()).isFalse();
            assertThat(v.get(2).parsed()).isFalse();
            RunSummary summary = SafetyRun.write(dir, "stub", ex, v);
            assertThat(summary.metrics().get("violation_rate").successes()).isEqualTo(1);
            assertThat(summary.metrics().get("violation_rate").total()).isEqualTo(2);
            assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg");
            assertThat(Files.readAllLines(dir.resolve("verdicts.jsonl"))).hasSize(3);
        }
    }

    @Test
    void comparisonAsksBothOrdersSoPositionBiasCancels(@TempDir Path dir) throws Exception {
        List<EvalData.Example> a = List.of(new EvalData.Example("1", "q1", "better answer", null),
                new EvalData.Example("2", "q2", "plain answer", null),
                new EvalData.Example("3", "q3", "plain answer", null));
        List<EvalData.Example> b = List.of(new EvalData.Example("1", "q1", "plain answer", null),
                new EvalData.Example("2", "q2", "better answer", null),
                new EvalData.Example("3", "q3", "other plain answer", null));
        // A judge that prefers the response containing "better", and otherwise always says "A" (position bias).
        try (StubChatServer s = new StubChatServer(req -> {
            String u = StubChatServer.userMessage(req);
            String ra = u.replaceAll("(?s).*RESPONSE A:\\n(.*)\\n\\nRESPONSE B:.*", "$1");
            String rb = u.replaceAll("(?s).*RESPONSE B:\\n", "");
            String winner = ra.contains("better") ? "A" : rb.contains("better") ? "B" : "A";
            return "{\"winner\": \"" + winner + "\"}";
        })) {
            var outcomes = CompareRun.judge(CompareRun.pair(a, b), new LlmPairwiseJudge(client(s)), 2);
            assertThat(outcomes).extracting(CompareRun.Outcome::result).containsExactly("win", "loss", "tie");
            RunSummary summary = CompareRun.write(dir, "a-vs-b", "A", "B", outcomes);
            assertThat(summary.metrics().get("win").successes()).isEqualTo(1);
            assertThat(summary.metrics().get("tie").successes()).isEqualTo(1);
            assertThat(summary.details().get("judge_picked_first_position").get("successes").asInt()).isEqualTo(4);
            assertThat(s.requests).hasSize(6);
        }
    }

    @Test
    void comparisonNeedsAResponseForEveryPrompt() {
        assertThatThrownBy(() -> CompareRun.pair(List.of(new EvalData.Example("1", "q", "r", null)),
                List.of(new EvalData.Example("9", "other", "r", null)))).hasMessageContaining("[1]");
    }
}
