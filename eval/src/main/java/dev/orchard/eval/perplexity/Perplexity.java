package dev.orchard.eval.perplexity;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Perplexity and bits per byte with a sliding window, the way Hugging Face's "perplexity of fixed-length models"
 * computes it: windows of at most {@code context} tokens start every {@code stride} tokens, and each window scores
 * only the tokens the previous window did not, so every token is scored once with up to {@code context - stride}
 * tokens of overlap as context. A token that starts a window without overlap (stride equal to context) has no
 * context inside its window and is not scored, as in the reference.
 */
public final class Perplexity {

    /** Computes the logits after every token of a fresh sequence: {@code window.length * vocab} floats. */
    @FunctionalInterface
    public interface Logits {
        float[] of(int[] window);
    }

    /**
     * @param context the most tokens one forward pass sees
     * @param stride  how far consecutive windows start apart; at most {@code context}
     */
    public record Options(int context, int stride) {
        public Options {
            if (context < 2) {
                throw new IllegalArgumentException("context must be at least 2 tokens, got " + context);
            }
            if (stride < 1 || stride > context) {
                throw new IllegalArgumentException("stride must be between 1 and the context (" + context + "), got "
                        + stride);
            }
        }
    }

    /**
     * One document's scores.
     *
     * @param tokens the document's tokens, BOS first when the tokenizer has one
     * @param losses negative log-likelihood in nats of {@code tokens[i + 1]}; NaN where a token was not scored
     * @param bytes  UTF-8 bytes of the document's text
     */
    public record DocumentScore(int[] tokens, double[] losses, long bytes) {

        public double totalLoss() {
            double s = 0;
            for (double l : losses) {
                if (!Double.isNaN(l)) {
                    s += l;
                }
            }
            return s;
        }

        public int scoredTokens() {
            int n = 0;
            for (double l : losses) {
                n += Double.isNaN(l) ? 0 : 1;
            }
            return n;
        }
    }

    /** Totals over documents. */
    public record Result(double totalLoss, long tokens, long bytes, int documents) {

        public static Result of(List<DocumentScore> docs) {
            double loss = 0;
            long tokens = 0;
            long bytes = 0;
            for (DocumentScore d : docs) {
                loss += d.totalLoss();
                tokens += d.scoredTokens();
                bytes += d.bytes();
            }
            return new Result(loss, tokens, bytes, docs.size());
        }

        /** exp(mean loss per scored token). */
        public double perplexity() {
            return Math.exp(totalLoss / tokens);
        }

        /** Total loss in bits over the documents' UTF-8 bytes: comparable across tokenizers. */
        public double bitsPerByte() {
            return totalLoss / Math.log(2) / bytes;
        }
    }

    private Perplexity() {
    }

    /** Per-token losses of {@code tokens[1..]} under sliding windows; NaN for tokens no window scores. */
    public static double[] tokenLosses(Logits model, int vocab, int[] tokens, Options options) {
        int n = tokens.length;
        double[] losses = new double[Math.max(0, n - 1)];
        java.util.Arrays.fill(losses, Double.NaN);
        int prevEnd = 0;
        for (int begin = 0; begin < n; begin += options.stride()) {
            int end = Math.min(begin + options.context(), n);
            int[] window = java.util.Arrays.copyOfRange(tokens, begin, end);
            float[] logits = model.of(window);
            if (logits.length != window.length * vocab) {
                throw new IllegalStateException("expected " + window.length + " x " + vocab + " logits, got "
                        + logits.length);
            }
            for (int p = Math.max(prevEnd, begin + 1); p < end; p++) {
                losses[p - 1] = nll(logits, (p - 1 - begin) * vocab, vocab, tokens[p]);
            }
            prevEnd = end;
            if (end == n) {
                break;
            }
        }
        return losses;
    }

    /** -log softmax(logits)[target], in double precision. */
    static double nll(float[] logits, int offset, int vocab, int target) {
        if (target < 0 || target >= vocab) {
            throw new IllegalArgumentException("token " + target + " is outside the model's vocabulary of " + vocab);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return max + Math.log(sum) - logits[offset + target];
    }

    /** A document's tokens as scored: BOS (when the tokenizer has one) and the text without other specials. */
    public static int[] documentTokens(Tokenizer tokenizer, String text) {
        int[] body = tokenizer.encode(text, false, false);
        if (tokenizer.bosId().isEmpty()) {
            return body;
        }
        int[] out = new int[body.length + 1];
        out[0] = tokenizer.bosId().getAsInt();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Scores texts with a model (and adapter, if not null), each from its own start. */
    public static List<DocumentScore> score(LanguageModel model, LoraAdapter adapter, List<String> texts,
                                            Options options) {
        int vocab = model.config().vocabSize();
        Logits logits = window -> (adapter == null ? model.newSession(window.length)
                : model.newSession(window.length, adapter)).prefillAll(window);
        List<DocumentScore> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            int[] tokens = documentTokens(model.tokenizer(), text);
            out.add(new DocumentScore(tokens, tokenLosses(logits, vocab, tokens, options),
                    text.getBytes(StandardCharsets.UTF_8).length));
        }
        return out;
    }
}
