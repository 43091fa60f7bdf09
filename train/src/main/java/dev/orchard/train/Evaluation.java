package dev.orchard.train;

import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Held-out loss of a model on whole documents: each document is encoded as {@code BOS text EOS} and every token after
 * the first is predicted (documents longer than the context are cut into consecutive windows). Reports nats per
 * token, which depends on the tokenizer, and bits per byte (total nats / ln 2 / UTF-8 bytes of the texts), which
 * does not, so models with different tokenizers compare.
 *
 * @param natsPerToken mean cross-entropy per predicted token (EOS included)
 * @param bitsPerByte  total cross-entropy in bits over the UTF-8 bytes of the documents
 * @param tokens       predicted tokens
 * @param bytes        UTF-8 bytes of the documents
 * @param documents    documents evaluated
 */
public record Evaluation(double natsPerToken, double bitsPerByte, long tokens, long bytes, int documents) {

    /** Evaluates a loaded model (any encoding; nothing is dequantized as a whole) on {@code documents}. */
    public static Evaluation of(LanguageModel model, List<String> documents, int context) {
        return of(TrainingModel.of(model.transformer(), false), model.tokenizer(), documents, context);
    }

    static Evaluation of(TrainingModel model, Tokenizer tokenizer, List<String> documents, int context) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("no documents to evaluate");
        }
        if (context < 1) {
            throw new IllegalArgumentException("context must be positive, got " + context);
        }
        int bos = tokenizer.bosId().orElse(-1);
        int eos = tokenizer.eosId().orElse(-1);
        double[] nats = new double[documents.size()];
        long[] tokens = new long[documents.size()];
        long[] bytes = new long[documents.size()];
        Grads none = new Grads(List.of());
        IntStream.range(0, documents.size()).parallel().forEach(d -> {
            String text = documents.get(d);
            int[] body = tokenizer.encode(text, false, false);
            int extra = (bos >= 0 ? 1 : 0) + (eos >= 0 ? 1 : 0);
            int[] ids = new int[body.length + extra];
            int o = 0;
            if (bos >= 0) {
                ids[o++] = bos;
            }
            System.arraycopy(body, 0, ids, o, body.length);
            if (eos >= 0) {
                ids[ids.length - 1] = eos;
            }
            double sum = 0;
            for (int s = 0; s < ids.length - 1; s += context) {
                int len = Math.min(context, ids.length - 1 - s);
                int[] in = java.util.Arrays.copyOfRange(ids, s, s + len);
                int[] targets = java.util.Arrays.copyOfRange(ids, s + 1, s + 1 + len);
                Tape tape = new Tape();
                sum += Losses.crossEntropy(tape, model.forward(tape, none, in), targets, 1.0).item();
            }
            nats[d] = sum;
            tokens[d] = Math.max(0, ids.length - 1);
            bytes[d] = text.getBytes(StandardCharsets.UTF_8).length;
        });
        double totalNats = 0;
        long totalTokens = 0;
        long totalBytes = 0;
        for (int d = 0; d < nats.length; d++) {
            totalNats += nats[d];
            totalTokens += tokens[d];
            totalBytes += bytes[d];
        }
        return new Evaluation(totalNats / Math.max(1, totalTokens), totalNats / Math.log(2) / Math.max(1, totalBytes),
                totalTokens, totalBytes, documents.size());
    }
}
