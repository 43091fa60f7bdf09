package dev.orchard.core.api;

import dev.orchard.core.generate.ChatPrompts;
import dev.orchard.core.generate.Generation;
import dev.orchard.core.generate.GenerationConfig;
import dev.orchard.core.generate.Generator;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.Session;
import dev.orchard.core.tokenizer.ChatMessage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Orchard's Java API for running a model: load a checkpoint (a Hugging Face directory or a GGUF file), generate
 * text after a prompt, chat with a list of messages, and stream the text as it is made. Prompts are encoded by the
 * checkpoint's tokenizer, chats rendered by its chat template (Orchard's own when it has none); generation stops
 * at the model's EOS and end-of-turn tokens, at a stop string, or after the maximum length. Sampling defaults come
 * from the checkpoint's {@code generation_config.json} unless {@link GenerateOptions} says otherwise.
 *
 * <pre>{@code
 * try (Model model = Model.load(Path.of("models/orchard-stories"))) {
 *     Generation story = model.generate("Once upon a time", GenerateOptions.defaults().maxTokens(40));
 *     System.out.println(story.text());
 *
 *     List<ChatMessage> chat = List.of(ChatMessage.system("You tell short stories."), ChatMessage.user("A cat?"));
 *     model.chat(chat, GenerateOptions.defaults().greedy(), piece -> System.out.print(piece));
 * }
 * }</pre>
 *
 * <p>Each call runs in a fresh KV cache of its own. Calls on one {@code Model} may run one at a time; for many
 * concurrent requests use {@code orchard serve}. {@link #languageModel()} reaches the layer below (sessions, logits,
 * adapters) when this is not enough.
 */
public final class Model implements AutoCloseable {

    private final LanguageModel lm;

    private Model(LanguageModel lm) {
        this.lm = lm;
    }

    /**
     * Loads a checkpoint: a Hugging Face model directory or a {@code .gguf} file, weights memory-mapped.
     *
     * @throws IOException                         when it cannot be read
     * @throws dev.orchard.core.format.FormatException when it is malformed (one line naming the problem)
     */
    public static Model load(Path path) throws IOException {
        return new Model(LanguageModel.load(path));
    }

    /** Loads with options: re-encode the weights (e.g. Q8_0), take the tokenizer from elsewhere. */
    public static Model load(Path path, LanguageModel.Options options) throws IOException {
        return new Model(LanguageModel.load(path, options));
    }

    /** Wraps a model already loaded; closing this closes it. */
    public static Model of(LanguageModel model) {
        return new Model(model);
    }

    /** The text after {@code prompt} (BOS first when the tokenizer adds it). */
    public Generation generate(String prompt, GenerateOptions options) {
        return generate(prompt, options, null);
    }

    /** {@link #generate(String, GenerateOptions)}, handing each piece of text to {@code onText} as it is made. */
    public Generation generate(String prompt, GenerateOptions options, Consumer<String> onText) {
        return run(ChatPrompts.encodeText(lm, prompt), options, onText);
    }

    /** The assistant's reply to {@code messages} (roles system, user, assistant), rendered by the chat template. */
    public Generation chat(List<ChatMessage> messages, GenerateOptions options) {
        return chat(messages, options, null);
    }

    /** {@link #chat(List, GenerateOptions)}, handing each piece of the reply to {@code onText} as it is made. */
    public Generation chat(List<ChatMessage> messages, GenerateOptions options, Consumer<String> onText) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one message");
        }
        return run(ChatPrompts.encodeChat(lm, messages), options, onText);
    }

    /** The model below: config, tokenizer, sessions, logits, adapters. */
    public LanguageModel languageModel() {
        return lm;
    }

    private Generation run(int[] prompt, GenerateOptions options, Consumer<String> onText) {
        int maxTokens = options.maxTokens(lm.generationDefaults());
        int limit = lm.config().maxPositionEmbeddings();
        if (prompt.length >= limit) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the model's context is "
                    + limit);
        }
        Session session = lm.newSession(Math.min(limit, prompt.length + maxTokens + 1));
        GenerationConfig stop = new GenerationConfig(maxTokens, ChatPrompts.stopTokens(lm), options.stopStrings());
        return new Generator(lm.tokenizer()).generate(session, prompt, options.sampling(lm.generationDefaults()), stop,
                onText);
    }

    @Override
    public void close() {
        lm.close();
    }
}
