package dev.orchard.core.generate;

import dev.orchard.core.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One sequence's generation, advanced one token at a time by whoever runs the model: {@link Generator} with one
 * {@code Session}, a server's batch scheduler with many, a speculative decoder that verifies drafts. It holds what
 * sampling and stopping need (the sampler's random state, the tokens so far, the text decoded so far and how much
 * of it was handed out) and none of the model state, so the caller decides how logits are computed.
 *
 * <pre>{@code
 * GenerationState g = new GenerationState(tokenizer, prompt, sampling, stop);
 * float[] logits = session.prefill(prompt);
 * while (true) {
 *     GenerationState.Step step = g.next(logits);   // sample, check stop tokens and strings
 *     out.print(step.text());                       // text that can no longer become part of a stop string
 *     if (step.finished()) break;
 *     logits = session.decode(step.token());
 * }
 * }</pre>
 *
 * <p>The next-token distribution itself is {@link #distribution(float[])}. Stop tokens are not emitted; a stop
 * string ends the text before it; text that might be the start of a stop string, or an incomplete UTF-8
 * character, is held back until decided. Not thread-safe.
 */
public final class GenerationState {

    /** An alternative token and its log-probability, for OpenAI's {@code top_logprobs}. */
    public record TokenLogprob(int token, double logprob) {
    }

    /**
     * What one {@link #next} call did.
     *
     * @param token        the chosen token (also when it was a stop token, which is not part of the output)
     * @param text         newly releasable text, possibly empty
     * @param finished     true when generation is over: no more calls to {@code next}
     * @param finishReason "stop" or "length" when finished, else null
     * @param logprob      the token's log-probability under the model (before sampling filters), if asked for
     *                     with {@link #withLogprobs}; NaN otherwise
     * @param top          the most likely tokens and their log-probabilities, if asked for; empty otherwise
     */
    public record Step(int token, String text, boolean finished, String finishReason, double logprob,
                       List<TokenLogprob> top) {
    }

    private final Tokenizer tokenizer;
    private final GenerationConfig stop;
    private final Sampler sampler;
    private final int promptLength;
    private int[] history;
    private int historyCount;
    private final Utf8Stream utf8 = new Utf8Stream();
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private String finishReason;
    private int logprobs = -1;
    private double presencePenalty;
    private double frequencyPenalty;
    private int[] generatedCounts;

    public GenerationState(Tokenizer tokenizer, int[] prompt, SamplingConfig sampling, GenerationConfig stop) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: add BOS or some text");
        }
        this.tokenizer = tokenizer;
        this.stop = stop;
        this.sampler = new Sampler(sampling);
        this.promptLength = prompt.length;
        this.history = Arrays.copyOf(prompt, prompt.length + Math.min(stop.maxTokens(), 1 << 16));
        this.historyCount = prompt.length;
        if (stop.maxTokens() == 0) {
            finishReason = "length";
        }
    }

    /** Also report each token's log-probability and the {@code top} likeliest alternatives (0 to 20). */
    public GenerationState withLogprobs(int top) {
        if (top < 0 || top > 20) {
            throw new IllegalArgumentException("top logprobs must be in 0..20, got " + top);
        }
        this.logprobs = top;
        return this;
    }

    /**
     * OpenAI's penalties: before sampling, each token's logit is lowered by {@code presence} if it was generated
     * before and by {@code frequency} times the number of times it was. Both in [-2, 2]; 0 disables.
     */
    public GenerationState withPenalties(double presence, double frequency) {
        if (!(presence >= -2 && presence <= 2) || !(frequency >= -2 && frequency <= 2)) {
            throw new IllegalArgumentException("presence and frequency penalties must be in [-2, 2]");
        }
        this.presencePenalty = presence;
        this.frequencyPenalty = frequency;
        return this;
    }

    /**
     * The probabilities of the next token after the sampling filters (repetition penalty, temperature, top-k,
     * top-p, min-p; one-hot at the argmax when greedy), one per vocabulary entry, without choosing one.
     * {@code logits} is left unchanged.
     */
    public double[] distribution(float[] logits) {
        float[] l = logits.clone();
        applyPenalties(l);
        return sampler.distribution(l, history, historyCount);
    }

    /** Chooses the next token from the model's {@code logits} (modified in place) and records it. */
    public Step next(float[] logits) {
        checkRunning();
        double logprob = Double.NaN;
        List<TokenLogprob> top = List.of();
        double logSumExp = 0;
        if (logprobs >= 0) {
            logSumExp = logSumExp(logits);
            top = top(logits, logprobs, logSumExp);
        }
        float[] raw = logprobs >= 0 ? logits.clone() : null;
        applyPenalties(logits);
        int token = sampler.sample(logits, history, historyCount);
        if (raw != null) {
            logprob = raw[token] - logSumExp;
        }
        return accept(token, logprob, top);
    }

    /**
     * Records a token chosen elsewhere (a speculative decoder's accepted draft, a forced token) as if
     * {@link #next} had sampled it.
     */
    public Step accept(int token) {
        checkRunning();
        return accept(token, Double.NaN, List.of());
    }

    private Step accept(int token, double logprob, List<TokenLogprob> top) {
        if (stop.stopTokens().contains(token)) {
            return finish(token, "stop", logprob, top);
        }
        if (historyCount == history.length) {
            history = Arrays.copyOf(history, history.length * 2);
        }
        history[historyCount++] = token;
        if (frequencyPenalty != 0 || presencePenalty != 0) {
            if (generatedCounts == null) {
                generatedCounts = new int[Math.max(token + 1, 1024)];
            } else if (token >= generatedCounts.length) {
                generatedCounts = Arrays.copyOf(generatedCounts, Math.max(token + 1, generatedCounts.length * 2));
            }
            generatedCounts[token]++;
        }
        if (!tokenizer.isSpecial(token)) {
            text.append(utf8.push(tokenizer.tokenBytes(token)));
        }
        int stopAt = indexOfStop();
        if (stopAt >= 0) {
            text.setLength(stopAt);
            return finish(token, "stop", logprob, top);
        }
        if (generatedCount() == stop.maxTokens()) {
            return finish(token, "length", logprob, top);
        }
        int safe = text.length() - heldBack();
        String piece = "";
        if (safe > emitted) {
            piece = text.substring(emitted, safe);
            emitted = safe;
        }
        return new Step(token, piece, false, null, logprob, top);
    }

    /**
     * Ends generation early with "length" (the context is full) or another reason (e.g. "cancelled"), and
     * returns the text still held back.
     */
    public String finishEarly(String reason) {
        if (finishReason != null) {
            return "";
        }
        finishReason = reason;
        text.append(utf8.flush());
        String rest = text.substring(emitted);
        emitted = text.length();
        return rest;
    }

    private Step finish(int token, String reason, double logprob, List<TokenLogprob> top) {
        finishReason = reason;
        if (!"stop".equals(reason)) {
            text.append(utf8.flush());
        }
        String rest = text.length() > emitted ? text.substring(emitted) : "";
        emitted = text.length();
        return new Step(token, rest, true, reason, logprob, top);
    }

    private void checkRunning() {
        if (finishReason != null) {
            throw new IllegalStateException("generation has finished (" + finishReason + ")");
        }
    }

    public boolean finished() {
        return finishReason != null;
    }

    /** "stop", "length" or the reason given to {@link #finishEarly}; null while running. */
    public String finishReason() {
        return finishReason;
    }

    /** The text generated so far (including any held-back part). */
    public String text() {
        return text.toString();
    }

    /** Tokens generated so far, stop tokens excluded. */
    public int[] tokens() {
        return Arrays.copyOfRange(history, promptLength, historyCount);
    }

    public int generatedCount() {
        return historyCount - promptLength;
    }

    public int promptLength() {
        return promptLength;
    }

    public GenerationConfig stopConfig() {
        return stop;
    }

    private void applyPenalties(float[] logits) {
        if (generatedCounts == null) {
            return;
        }
        int n = Math.min(logits.length, generatedCounts.length);
        for (int t = 0; t < n; t++) {
            int count = generatedCounts[t];
            if (count > 0) {
                logits[t] -= (float) (presencePenalty + frequencyPenalty * count);
            }
        }
    }

    private static double logSumExp(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    private static List<TokenLogprob> top(float[] logits, int k, double logSumExp) {
        if (k == 0) {
            return List.of();
        }
        int[] ids = new int[logits.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        int[] best = Sampler.sortedByLogit(ids, logits, Math.min(k, logits.length));
        List<TokenLogprob> out = new ArrayList<>(best.length);
        for (int id : best) {
            out.add(new TokenLogprob(id, logits[id] - logSumExp));
        }
        return List.copyOf(out);
    }

    /** The earliest start of a stop string that could overlap text not yet emitted, or -1. */
    private int indexOfStop() {
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
    private int heldBack() {
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
