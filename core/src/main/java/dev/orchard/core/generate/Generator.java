package dev.orchard.core.generate;

import dev.orchard.core.model.Session;
import dev.orchard.core.tokenizer.Tokenizer;

import java.util.function.Consumer;

/**
 * Streams text from a session: prefill the prompt, then sample and decode one token at a time, handing each piece
 * of complete text to a consumer as soon as it cannot be part of a stop string. The sampling and stopping rules
 * are {@link GenerationState}'s; this class only runs the one session.
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
        GenerationState state = new GenerationState(tokenizer, prompt, sampling, stop);
        long t0 = System.nanoTime();
        float[] logits = session.prefill(prompt);
        long t1 = System.nanoTime();
        long decodeStart = 0;
        while (!state.finished()) {
            GenerationState.Step step = state.next(logits);
            emit(onText, step.text());
            if (step.finished()) {
                break;
            }
            if (session.position() >= session.capacity()) {
                emit(onText, state.finishEarly("length"));
                break;
            }
            if (state.generatedCount() == 1) {
                decodeStart = System.nanoTime();
            }
            logits = session.decode(step.token());
        }
        long t2 = System.nanoTime();
        return new Generation(state.text(), state.tokens(), prompt.length, state.finishReason(), t1 - t0,
                decodeStart == 0 ? 0 : t2 - decodeStart);
    }

    private static void emit(Consumer<String> onText, String piece) {
        if (onText != null && !piece.isEmpty()) {
            onText.accept(piece);
        }
    }
}
