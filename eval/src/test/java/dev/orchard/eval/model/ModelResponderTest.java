package dev.orchard.eval.model;

import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.tokenizer.ChatMessage;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.eval.EvalData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How benchmark prompts reach the model: template or plain text, greedy and repeatable, bounded by the context. */
class ModelResponderTest {

    private static final Path MODEL = Path.of(System.getProperty("orchard.repo", ".."))
            .resolve("testdata/gguf/tiny-f32.gguf");

    @Test
    void plainPromptsAreEncodedWithBosAndAnsweredGreedily() throws IOException {
        try (LanguageModel lm = LanguageModel.load(MODEL)) {
            ModelResponder r = new ModelResponder(lm, null, null, 8);
            assertThat(r.usesChatTemplate()).isFalse();
            assertThat(r.encodePrompt("Hello there")).isEqualTo(lm.tokenizer().encode("Hello there", true));
            String first = r.respond("Hello there");
            // Greedy decoding is deterministic; an untrained model does not stop early, so the answer is non-empty.
            assertThat(first).isNotEmpty();
            assertThat(r.respond("Hello there")).isEqualTo(first);

            List<Integer> seen = new ArrayList<>();
            List<EvalData.Example> answered = r.answerAll(List.of(new EvalData.Example("a", "Hello there", null, "src"),
                    new EvalData.Example("b", "Bye", null, null)), seen::add);
            assertThat(seen).containsExactly(1, 2);
            assertThat(answered.get(0)).isEqualTo(new EvalData.Example("a", "Hello there", first, "src"));
            assertThat(answered.get(1).id()).isEqualTo("b");
        }
    }

    @Test
    void chatPromptsGoThroughTheTemplateAsOneUserTurn() throws IOException {
        try (LanguageModel lm = LanguageModel.load(MODEL)) {
            ChatTemplate t = ChatTemplate.orchardDefault();
            ModelResponder r = new ModelResponder(lm, null, t, 4);
            assertThat(r.usesChatTemplate()).isTrue();
            String rendered = t.render(List.of(ChatMessage.user("Write a haiku.")), true);
            assertThat(rendered).contains("Write a haiku.");
            assertThat(r.encodePrompt("Write a haiku.")).isEqualTo(lm.tokenizer().encode(rendered, false, true));
        }
    }

    @Test
    void promptsThatFillTheContextAreRefusedClearly() throws IOException {
        try (LanguageModel lm = LanguageModel.load(MODEL)) {
            ModelResponder r = new ModelResponder(lm, null, null, 16);
            String longPrompt = "word ".repeat(lm.config().maxPositionEmbeddings());
            assertThatThrownBy(() -> r.respond(longPrompt)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("leaves no room to answer");
            assertThatThrownBy(() -> new ModelResponder(lm, null, null, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
