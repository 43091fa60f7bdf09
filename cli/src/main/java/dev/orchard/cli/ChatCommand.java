package dev.orchard.cli;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.generate.Generation;
import dev.orchard.core.generate.GenerationConfig;
import dev.orchard.core.generate.ChatPrompts;
import dev.orchard.core.generate.Generator;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.Session;
import dev.orchard.core.tokenizer.ChatMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code orchard chat}: a conversation on stdin/stdout with the model's chat template. The KV cache is kept between
 * turns: only the tokens after the longest common prefix with the previous turn are run again.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with a model on the terminal (one line per message).",
                "Commands: /reset starts over, /quit (or end of input) leaves."})
final class ChatCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Option(names = "--system", paramLabel = "TEXT", description = "System message.")
    String system;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A LoRA adapter in PEFT layout to apply.")
    Path adapter;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512", description = "Most tokens per reply (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--context", paramLabel = "N", defaultValue = "2048", description = "Context length in tokens (default: ${DEFAULT-VALUE}).")
    int context;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean interactive = System.console() != null;
        try (LanguageModel lm = modelOptions.load()) {
            LoraAdapter lora = adapter == null ? null : lm.loadAdapter(adapter);
            Session session = lm.newSession(Math.min(context, lm.config().maxPositionEmbeddings()), lora);
            Generator generator = new Generator(lm.tokenizer());
            GenerationConfig stop = new GenerationConfig(maxTokens, ChatPrompts.stopTokens(lm), List.of());
            List<ChatMessage> messages = new ArrayList<>();
            if (system != null) {
                messages.add(new ChatMessage("system", system));
            }
            int[] cached = new int[0];
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                if (interactive) {
                    out.print("> ");
                }
                String line = in.readLine();
                if (line == null || line.strip().equals("/quit")) {
                    return 0;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().equals("/reset")) {
                    messages.removeIf(m -> !m.role().equals("system"));
                    session.reset();
                    cached = new int[0];
                    System.err.println("(conversation reset)");
                    continue;
                }
                messages.add(new ChatMessage("user", line));
                int[] prompt = ChatPrompts.encodeChat(lm, messages);
                if (prompt.length + maxTokens >= session.capacity()) {
                    System.err.println("(the conversation no longer fits the context; starting over)");
                    messages.removeIf(m -> !m.role().equals("system"));
                    messages.add(new ChatMessage("user", line));
                    prompt = ChatPrompts.encodeChat(lm, messages);
                    cached = new int[0];
                }
                int common = commonPrefix(cached, prompt);
                if (common == prompt.length) {
                    common--; // at least one token must run to produce logits
                }
                session.truncate(Math.min(common, session.position()));
                int[] rest = Arrays.copyOfRange(prompt, session.position(), prompt.length);
                Generation g = generator.generate(session, rest, sampling.toConfig(), stop, piece -> {
                    out.print(piece);
                    out.flush();
                });
                out.println();
                messages.add(new ChatMessage("assistant", g.text().strip()));
                cached = Arrays.copyOf(prompt, prompt.length + g.tokens().length);
                System.arraycopy(g.tokens(), 0, cached, prompt.length, g.tokens().length);
                // The cache holds the prompt and every generated token but the last (never run through the model).
                session.truncate(Math.min(session.position(), cached.length));
            }
        }
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
