package dev.orchard.core.api;

import dev.orchard.core.generate.Generation;
import dev.orchard.core.testing.TestData;
import dev.orchard.core.tokenizer.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docs/java-api.md's example compiles and runs as written, and the API does what the page says. */
class JavaApiExampleTest {

    private static final Path STORIES = TestData.repo().resolve("models/orchard-stories");

    @Test
    void theDocumentedExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
        String doc = Files.readString(TestData.repo().resolve("docs/java-api.md"));
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("docs/java-api.md has a java example").isTrue();
        Path source = tmp.resolve("StoryExample.java");
        Files.writeString(source, m.group(1));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-classpath", classPath, "-d", tmp.toString(),
                source.toString());
        assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass("StoryExample").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[] {STORIES.toString()});
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("story: ").contains("streamed: ").contains("reply: ");
        // greedy text is the same as through the API directly
        try (Model model = Model.load(STORIES)) {
            String story = model.generate("Once upon a time", GenerateOptions.defaults().greedy().maxTokens(30)).text();
            assertThat(story).isNotBlank();
            assertThat(printed).contains("story: " + story);
        }
    }

    @Test
    void streamedPiecesAddUpToTheTextAndStopStringsEndIt() throws IOException {
        try (Model model = Model.load(STORIES)) {
            StringBuilder pieces = new StringBuilder();
            Generation g = model.generate("Once upon a time", GenerateOptions.defaults().seed(3).maxTokens(40),
                    pieces::append);
            assertThat(pieces.toString()).isEqualTo(g.text());
            assertThat(g.tokens().length).isLessThanOrEqualTo(40);

            Generation cut = model.generate("Once upon a time", GenerateOptions.defaults().greedy().maxTokens(60).stop("."));
            assertThat(cut.text()).doesNotContain(".");
            assertThat(cut.finishReason()).isEqualTo("stop");
        }
    }

    @Test
    void chatRendersTheTemplateAndStopsAtTheEndOfTurn() throws IOException {
        try (Model model = Model.load(STORIES)) {
            Generation reply = model.chat(List.of(ChatMessage.user("Tell me a story.")),
                    GenerateOptions.defaults().greedy().maxTokens(200));
            assertThat(reply.text()).doesNotContain("<|end|>").doesNotContain("<|assistant|>");
            int[] prompt = dev.orchard.core.generate.ChatPrompts.encodeChat(model.languageModel(),
                    List.of(ChatMessage.user("Tell me a story.")));
            assertThat(reply.promptTokens()).isEqualTo(prompt.length);
            assertThatThrownBy(() -> model.chat(List.of(), GenerateOptions.defaults()))
                    .hasMessageContaining("at least one message");
        }
    }

    @Test
    void unsetOptionsComeFromGenerationConfigThenOrchardsDefaults() {
        var none = dev.orchard.core.model.GenerationDefaults.none();
        assertThat(GenerateOptions.defaults().maxTokens(none)).isEqualTo(GenerateOptions.ORCHARD_MAX_TOKENS);
        var s = GenerateOptions.defaults().topK(5).seed(9).sampling(none);
        assertThat(s.topK()).isEqualTo(5);
        assertThat(s.temperature()).isEqualTo(GenerateOptions.ORCHARD_DEFAULTS.temperature());
        assertThat(s.seed()).isEqualTo(9);
        assertThatThrownBy(() -> GenerateOptions.defaults().maxTokens(0)).hasMessageContaining("at least 1");
    }
}
