package dev.orchard.core.generate;

import dev.orchard.core.model.Session;
import dev.orchard.core.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Streams text from a session: prefill the prompt, then sample and decode one token at a time, handing each piece
 * of complete text to a consumer as soon as it cannot be part of a stop string.
 */
public final class Generator {

    private final Tokenizer tokenizer;

    public Generator(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Generates after {@code prompt} (token ids, BOS included if wanted) in {@code session}, which must be empty or
     * hold the context the prompt continues. {@code onText} receives the text incrementally; may be null.
     */
    public Generation generate(Session session, int[] prompt, SamplingConfig sampling, GenerationConfig stop,
                               Consumer<String> onText) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: add BOS or some text");
        }
        if (session.position() + prompt.length >= session.capacity()) {
            throw new IllegalArgumentException("prompt of " + prompt.length + " tokens does not fit the context of "
                    + session.capacity() + " tokens");
        }
        Sampler sampler = new Sampler(sampling);
        int[] history = Arrays.copyOf(prompt, prompt.length + stop.maxTokens());
        int historyCount = prompt.length;
        int[] generated = new int[stop.maxTokens()];
        int count = 0;
        Utf8Stream utf8 = new Utf8Stream();
        StringBuilder text = new StringBuilder();
        int emitted = 0; // chars of text already handed to onText
        String finish = "length";

        long t0 = System.nanoTime();
        float[] logits = session.prefill(prompt);
        long t1 = System.nanoTime();
        long decodeStart = 0;
        while (count < stop.maxTokens()) {
            int token = sampler.sample(logits, history, historyCount);
            if (stop.stopTokens().contains(token)) {
                finish = "stop";
                break;
            }
            generated[count++] = token;
            history[historyCount++] = token;
            if (!tokenizer.isSpecial(token)) {
                text.append(utf8.push(tokenizer.tokenBytes(token)));
            }
            int stopAt = indexOfStop(text, stop, emitted);
            if (stopAt >= 0) {
                text.setLength(stopAt);
                finish = "stop";
                break;
            }
            int safe = text.length() - heldBack(text, stop);
            if (onText != null && safe > emitted) {
                onText.accept(text.substring(emitted, safe));
                emitted = safe;
            }
            if (count == stop.maxTokens() || session.position() >= session.capacity()) {
                break;
            }
            if (count == 1) {
                decodeStart = System.nanoTime();
            }
            logits = session.decode(token);
        }
        long t2 = System.nanoTime();
        if (!"stop".equals(finish)) {
            text.append(utf8.flush());
        }
        if (onText != null && text.length() > emitted) {
            onText.accept(text.substring(emitted));
        }
        return new Generation(text.toString(), Arrays.copyOf(generated, count), prompt.length, finish, t1 - t0,
                decodeStart == 0 ? 0 : t2 - decodeStart);
    }

    /** The earliest start of a stop string that could overlap text not yet emitted, or -1. */
    private static int indexOfStop(StringBuilder text, GenerationConfig stop, int emitted) {
        int best = -1;
        for (String s : stop.stopStrings()) {
            int from = Math.max(0, emitted - s.length() + 1);
            int at = text.indexOf(s, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Chars at the end of text that might be the start of a stop string, held back until decided. */
    private static int heldBack(StringBuilder text, GenerationConfig stop) {
        int hold = 0;
        for (String s : stop.stopStrings()) {
            for (int k = Math.min(s.length() - 1, text.length()); k > hold; k--) {
                if (text.substring(text.length() - k).equals(s.substring(0, k))) {
                    hold = k;
                    break;
                }
            }
        }
        return hold;
    }
}
