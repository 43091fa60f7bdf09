package dev.orchard.cli;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.generate.Generation;
import dev.orchard.core.generate.GenerationConfig;
import dev.orchard.core.generate.ChatPrompts;
import dev.orchard.core.generate.Generator;
import dev.orchard.core.generate.SamplingConfig;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code orchard generate}: continues a prompt. Prints only the generated text on stdout (streamed); diagnostics go
 * to stderr, so scripts can call it.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text after a prompt. Prints only the generated text to stdout.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "The prompt.")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "256", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A LoRA adapter in PEFT layout to apply.")
    Path adapter;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).")
    List<String> stops = List.of();

    @Option(names = "--chat", description = "Wrap the prompt in the model's chat template as a user message.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message (with --chat).")
    String system;

    @Option(names = "--stats", description = "Print prefill/decode speed to stderr at the end.")
    boolean stats;

    @Override
    public Integer call() throws Exception {
        try (LanguageModel lm = modelOptions.load()) {
            LoraAdapter lora = adapter == null ? null : lm.loadAdapter(adapter);
            int[] tokens = ChatPrompts.encode(lm, prompt, chat, system);
            int context = Math.min(lm.config().maxPositionEmbeddings(), tokens.length + maxTokens + 1);
            Session session = lm.newSession(context, lora);
            Set<Integer> stopTokens = ChatPrompts.stopTokens(lm);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            Generation g = new Generator(lm.tokenizer()).generate(session, tokens, sampling.toConfig(),
                    new GenerationConfig(maxTokens, stopTokens, stops), piece -> {
                        out.print(piece);
                        out.flush();
                    });
            out.println();
            if (stats) {
                System.err.printf("prompt %d tokens at %.1f tok/s; generated %d tokens at %.1f tok/s (%s)%n",
                        g.promptTokens(), g.prefillTokensPerSecond(), g.tokens().length, g.decodeTokensPerSecond(),
                        g.finishReason());
            }
        }
        return 0;
    }
}
