package dev.orchard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchard.core.quant.KernelPath;
import dev.orchard.core.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Whole models in the K-quants, quantized by llama.cpp's llama-quantize, against llama.cpp's own forward pass:
 * llama-perplexity's {@code --kl-divergence-base} dump (log-probabilities of the second half of each 64-token
 * chunk) and its perplexity (testdata/gguf-kquants, made by tools/reference/make_kquant_fixtures.py).
 * llama.cpp multiplies K-quant weights with activations rounded to 8 bits per 256 (its Q8_K blocks); Orchard's
 * float path multiplies exact floats, so the two differ by that rounding, the same error Orchard's own int8 path
 * is allowed against float references (SafetensorsGoldenTest.INT8_ACTIVATION_TOLERANCE).
 */
class KQuantGgufTest {

    /** Max |log-prob error| allowed: the int8 path's logit tolerance against float references. */
    static final double TOLERANCE = SafetensorsGoldenTest.INT8_ACTIVATION_TOLERANCE;

    /** llama-perplexity's dump: the chunks' tokens and, per scored position, the vocabulary's log-probabilities. */
    record Dump(int nCtx, int vocab, int chunks, int[] tokens, float[][] logProbs, boolean[][] kept) {

        int first() {
            return nCtx / 2;
        }

        int scored() {
            return nCtx - 1 - first();
        }

        static Dump read(Path path) throws IOException {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[8];
            in.get(magic);
            assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("_logits_");
            int nCtx = in.getInt();
            int vocab = in.getInt();
            int chunks = in.getInt();
            int[] tokens = new int[nCtx * chunks];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = in.getInt();
            }
            int scored = nCtx - 1 - nCtx / 2;
            int nv = 2 * ((vocab + 1) / 2) + 4;
            float[][] logProbs = new float[chunks * scored][vocab];
            boolean[][] kept = new boolean[chunks * scored][vocab];
            for (int p = 0; p < chunks * scored; p++) {
                int start = in.position();
                float scale = in.getFloat();
                float min = in.getFloat();
                for (int j = 0; j < vocab; j++) {
                    int u = in.getShort() & 0xFFFF;
                    // 0 marks a log-prob at or below the kept range (16 nats under the maximum): only a bound.
                    kept[p][j] = u > 0;
                    logProbs[p][j] = min + scale * u;
                }
                in.position(start + 2 * nv);
            }
            assertThat(in.remaining()).isZero();
            return new Dump(nCtx, vocab, chunks, tokens, logProbs, kept);
        }
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(Files.readString(TestData.path("gguf-kquants/expected.json")));
    }

    /** Log-softmax of {@code logits[at .. at + vocab)} in double. */
    static double[] logSoftmax(float[] logits, int at, int vocab) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, logits[at + j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(logits[at + j] - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[vocab];
        for (int j = 0; j < vocab; j++) {
            out[j] = logits[at + j] - log;
        }
        return out;
    }

    /** [max |log-prob error| over kept entries, perplexity of Orchard's predictions]. */
    static double[] compare(Dump dump, float[][] chunkLogits) {
        double maxErr = 0;
        double nll = 0;
        int count = 0;
        for (int c = 0; c < dump.chunks(); c++) {
            for (int i = 0; i < dump.scored(); i++) {
                int pos = dump.first() + i;
                double[] ours = logSoftmax(chunkLogits[c], pos * dump.vocab(), dump.vocab());
                int p = c * dump.scored() + i;
                for (int j = 0; j < dump.vocab(); j++) {
                    if (dump.kept()[p][j]) {
                        maxErr = Math.max(maxErr, Math.abs(ours[j] - dump.logProbs()[p][j]));
                    } else {
                        assertThat(ours[j]).isLessThan(dump.logProbs()[p][j] + TOLERANCE);
                    }
                }
                nll -= ours[dump.tokens()[c * dump.nCtx() + pos + 1]];
                count++;
            }
        }
        return new double[] {maxErr, Math.exp(nll / count)};
    }

    static int[] chunk(Dump dump, int c) {
        return java.util.Arrays.copyOfRange(dump.tokens(), c * dump.nCtx(), (c + 1) * dump.nCtx());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny256-q2_k.gguf", "tiny256-q3_k.gguf", "tiny256-q4_k.gguf", "tiny256-q5_k.gguf",
            "tiny256-q6_k.gguf", "tiny256-q4_k_m.gguf"})
    void prefillMatchesLlamaCppLogProbsAndPerplexity(String file) throws IOException {
        JsonNode exp = expected().path("files").path(file);
        Dump dump = Dump.read(TestData.path("gguf-kquants/" + exp.path("kld").asText()));
        try (LanguageModel lm = LanguageModel.load(TestData.path("gguf-kquants/" + file))) {
            assertThat(lm.config().vocabSize()).isEqualTo(dump.vocab());
            float[][] logits = new float[dump.chunks()][];
            for (int c = 0; c < dump.chunks(); c++) {
                logits[c] = lm.logits(chunk(dump, c));
            }
            double[] got = compare(dump, logits);
            assertThat(got[0]).as("%s max |log-prob - llama.cpp's|", file).isLessThan(TOLERANCE);
            double ppl = exp.path("perplexity").asDouble();
            assertThat(got[1]).as("%s perplexity vs llama.cpp's %f", file, ppl).isCloseTo(ppl, offset(0.01 * ppl));
        }
    }

    /** Token-by-token decode (the mat-vec kernels) gives the prefill's (mat-mat) logits and so llama.cpp's too. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tiny256-q4_k_m.gguf, VECTOR_FLOAT", "tiny256-q5_k.gguf, VECTOR_FLOAT", "tiny256-q3_k.gguf, VECTOR_FLOAT",
            "tiny256-q2_k.gguf, VECTOR_FLOAT", "tiny256-q6_k.gguf, SCALAR"})
    void decodeMatchesPrefillAndLlamaCpp(String file, KernelPath path) throws IOException {
        JsonNode exp = expected().path("files").path(file);
        Dump dump = Dump.read(TestData.path("gguf-kquants/" + exp.path("kld").asText()));
        try (LanguageModel lm = LanguageModel.load(TestData.path("gguf-kquants/" + file),
                new LanguageModel.Options(null, path))) {
            int vocab = dump.vocab();
            int[] tokens = chunk(dump, 0);
            float[] prefill = lm.logits(tokens);
            Session s = lm.newSession(tokens.length);
            float[] decoded = new float[tokens.length * vocab];
            for (int i = 0; i < tokens.length; i++) {
                System.arraycopy(s.decode(tokens[i]), 0, decoded, i * vocab, vocab);
            }
            double maxDiff = 0;
            for (int i = 0; i < decoded.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(decoded[i] - prefill[i]));
            }
            assertThat(maxDiff).as("%s %s max |decode - prefill| logit", file, path).isLessThan(2e-3);
            Dump firstChunk = new Dump(dump.nCtx(), vocab, 1, tokens, dump.logProbs(), dump.kept());
            assertThat(compare(firstChunk, new float[][] {decoded})[0]).as("%s %s decode vs llama.cpp", file, path)
                    .isLessThan(TOLERANCE);
        }
    }
}

