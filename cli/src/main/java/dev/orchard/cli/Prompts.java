package dev.orchard.cli;

import dev.orchard.core.model.LanguageModel;

/** Turns a user's prompt into token ids the way the model's tokenizer (and, with --chat, its template) says. */
final class Prompts {

    private Prompts() {
    }

    static int[] encode(LanguageModel lm, String prompt, boolean chat, String system) {
        if (chat) {
            throw new IllegalArgumentException("--chat needs a chat template, which arrives with the tokenizer");
        }
        return lm.tokenizer().encode(prompt, true);
    }
}
