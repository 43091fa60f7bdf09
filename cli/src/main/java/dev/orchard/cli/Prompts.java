package dev.orchard.cli;

import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.tokenizer.ChatMessage;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns a user's prompt into token ids the way the model's tokenizer (and, with --chat, its template) says. */
final class Prompts {

    /** End-of-turn markers of common chat formats; generation stops at whichever the vocabulary has. */
    private static final List<String> END_OF_TURN = List.of(ChatTemplate.END_OF_TURN, "<|eot_id|>", "<|im_end|>",
            "<end_of_turn>", "<|endoftext|>");

    private Prompts() {
    }

    static ChatTemplate template(LanguageModel lm) {
        return lm.chatTemplate().orElseGet(ChatTemplate::orchardDefault);
    }

    /** Plain prompts get BOS if the tokenizer's config says so; chat prompts are rendered by the template. */
    static int[] encode(LanguageModel lm, String prompt, boolean chat, String system) {
        if (!chat) {
            return lm.tokenizer().encode(prompt, true);
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(new ChatMessage("system", system));
        }
        messages.add(new ChatMessage("user", prompt));
        return encodeChat(lm, messages);
    }

    static int[] encodeChat(LanguageModel lm, List<ChatMessage> messages) {
        String text = template(lm).render(messages, true);
        // The template writes BOS itself; special tokens in the rendered text are control tokens.
        return lm.tokenizer().encode(text, false, true);
    }

    /**
     * EOS ids from generation_config.json, the config and the tokenizer, plus end-of-turn markers the vocabulary
     * has.
     */
    static Set<Integer> stopTokens(LanguageModel lm) {
        Tokenizer t = lm.tokenizer();
        Set<Integer> stops = new HashSet<>(lm.config().eosTokenIds());
        stops.addAll(lm.generationDefaults().eosTokenIds());
        t.eosId().ifPresent(stops::add);
        for (String marker : END_OF_TURN) {
            t.tokenId(marker).ifPresent(stops::add);
        }
        return stops;
    }
}
