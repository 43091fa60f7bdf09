package dev.orchard.eval.model;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.generate.Generation;
import dev.orchard.core.generate.GenerationConfig;
import dev.orchard.core.generate.Generator;
import dev.orchard.core.generate.SamplingConfig;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.Session;
import dev.orchard.core.tokenizer.ChatMessage;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;
import dev.orchard.eval.EvalData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.function.IntConsumer;
import java.util.List;
import java.util.Set;

/**
 * Answers prompts with an Orchard model the way benchmarks want it: the prompt as one user message in the model's
 * chat template (or as plain text when it has none), greedy decoding, stopping at the end-of-turn or EOS token.
 */
public final class ModelResponder {

    /** End-of-turn markers of common chat formats; an answer ends at whichever the vocabulary has. */
    private static final List<String> END_OF_TURN = List.of(ChatTemplate.END_OF_TURN, "<|eot_id|>", "<|im_end|>",
            "<end_of_turn>", "<|endoftext|>");

    private final LanguageModel model;
    private final LoraAdapter adapter;
    private final ChatTemplate template;
    private final int maxNewTokens;
    private final Set<Integer> stopTokens = new HashSet<>();

    /**
     * @param template     the chat template, or null to feed the prompt as plain text after BOS
     * @param adapter      a LoRA adapter to apply, or null
     * @param maxNewTokens the most tokens one answer may take
     */
    public ModelResponder(LanguageModel model, LoraAdapter adapter, ChatTemplate template, int maxNewTokens) {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max new tokens must be positive, got " + maxNewTokens);
        }
        this.model = model;
        this.adapter = adapter;
        this.template = template;
        this.maxNewTokens = maxNewTokens;
        Tokenizer t = model.tokenizer();
        stopTokens.addAll(model.config().eosTokenIds());
        t.eosId().ifPresent(stopTokens::add);
        for (String marker : END_OF_TURN) {
            t.tokenId(marker).ifPresent(stopTokens::add);
        }
        if (template != null && !template.eosToken().isEmpty()) {
            t.tokenId(template.eosToken()).ifPresent(stopTokens::add);
        }
    }

    /**
     * A responder for a loaded model: its chat template when {@code chat} is set and the model has one (else the
     * plain prompt), and the adapter in {@code adapterDir} if given.
     */
    public static ModelResponder forModel(LanguageModel model, Path adapterDir, boolean chat, int maxNewTokens)
            throws IOException {
        LoraAdapter adapter = adapterDir == null ? null : model.loadAdapter(adapterDir);
        ChatTemplate template = chat ? model.chatTemplate().orElse(null) : null;
        return new ModelResponder(model, adapter, template, maxNewTokens);
    }

    /** Whether prompts go through a chat template. */
    public boolean usesChatTemplate() {
        return template != null;
    }

    /** Answers every example's prompt, in order; {@code progress} hears the count done after each. */
    public List<EvalData.Example> answerAll(List<EvalData.Example> examples, IntConsumer progress) {
        List<EvalData.Example> out = new ArrayList<>(examples.size());
        for (EvalData.Example e : examples) {
            out.add(new EvalData.Example(e.id(), e.prompt(), respond(e.prompt()), e.source()));
            if (progress != null) {
                progress.accept(out.size());
            }
        }
        return out;
    }

    /** The prompt's tokens as the model will see them. */
    public int[] encodePrompt(String prompt) {
        Tokenizer t = model.tokenizer();
        if (template == null) {
            return t.encode(prompt, true);
        }
        String text = template.render(List.of(ChatMessage.user(prompt)), true);
        // The template writes BOS itself when it wants one; parse the special tokens it wrote.
        return t.encode(text, false, true);
    }

    /** Greedy answer to one prompt. */
    public String respond(String prompt) {
        return respond(prompt, SamplingConfig.greedy());
    }

    /** An answer to one prompt drawn with {@code sampling} (greedy when its temperature is 0). */
    public String respond(String prompt, SamplingConfig sampling) {
        int[] tokens = encodePrompt(prompt);
        int context = Math.min(model.config().maxPositionEmbeddings(), tokens.length + maxNewTokens + 1);
        if (tokens.length + 1 >= context) {
            throw new IllegalArgumentException("prompt of " + tokens.length + " tokens leaves no room to answer in the "
                    + "model's context of " + model.config().maxPositionEmbeddings() + " tokens");
        }
        Session session = adapter == null ? model.newSession(context) : model.newSession(context, adapter);
        int budget = Math.min(maxNewTokens, context - tokens.length - 1);
        Generation g = new Generator(model.tokenizer()).generate(session, tokens, sampling,
                new GenerationConfig(budget, stopTokens, List.of()), null);
        return g.text();
    }
}
