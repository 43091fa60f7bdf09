package dev.orchard.core.generate;

import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.tokenizer.ChatMessage;
import dev.orchard.core.tokenizer.ChatTemplate;
import dev.orchard.core.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a model's prompts are made and where its replies end, shared by {@code generate}, {@code chat} and
 * {@code serve}: plain prompts get BOS as the tokenizer says, chat prompts are rendered by the model's chat
 * template (Orchard's own when the checkpoint has none), and generation stops at EOS or an end-of-turn marker.
 */
public final class ChatPrompts {

    /** End-of-turn markers of common chat formats; generation stops at whichever the vocabulary has. */
    private static final List<String> END_OF_TURN = List.of(ChatTemplate.END_OF_TURN, "<|eot_id|>", "<|im_end|>",
            "<end_of_turn>", "<|endoftext|>");

    private ChatPrompts() {
    }

    /** The checkpoint's chat template, or Orchard's default. */
    public static ChatTemplate template(LanguageModel lm) {
        return lm.chatTemplate().orElseGet(ChatTemplate::orchardDefault);
    }

    /** A plain prompt (BOS if the tokenizer adds one), or with {@code chat} a user turn after an optional system one. */
    public static int[] encode(LanguageModel lm, String prompt, boolean chat, String system) {
        if (!chat) {
            return encodeText(lm, prompt);
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        return encodeChat(lm, messages);
    }

    /** Plain text: BOS if the tokenizer's config says so, special-token text encoded as ordinary text. */
    public static int[] encodeText(LanguageModel lm, String prompt) {
        return lm.tokenizer().encode(prompt, true);
    }

    /** The conversation rendered by the template with the assistant's turn opened, as token ids. */
    public static int[] encodeChat(LanguageModel lm, List<ChatMessage> messages) {
        String text = template(lm).render(messages, true);
        // The template writes BOS itself; special tokens in the rendered text are control tokens.
        return lm.tokenizer().encode(text, false, true);
    }

    /** EOS ids from the config and tokenizer, plus end-of-turn markers the vocabulary has. */
    public static Set<Integer> stopTokens(LanguageModel lm) {
        Tokenizer t = lm.tokenizer();
        Set<Integer> stops = new HashSet<>(lm.config().eosTokenIds());
        t.eosId().ifPresent(stops::add);
        for (String marker : END_OF_TURN) {
            t.tokenId(marker).ifPresent(stops::add);
        }
        return Set.copyOf(stops);
    }
}
