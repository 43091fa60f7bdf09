package dev.orchard.core.model;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.adapter.LoraDelta;
import dev.orchard.core.kernel.FloatOps;
import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.quant.WeightMatrix;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Advances several sequences of one model together: each {@link Session} brings its own position, KV cache and
 * adapter, and one or more new tokens (one when decoding, a chunk of its prompt when prefilling). All the batch's
 * tokens go through each weight matrix as one matrix-matrix product ({@link WeightMatrix#matMul}), so a weight is
 * read once per step however many sequences run; the base projection is computed once for every row, then each
 * row's low-rank term {@code x A B} is added for its own adapter, rows grouped by adapter
 * ({@link LoraDelta#addToRows}). Attention, RoPE and the cache writes are per row, at the row's own position.
 *
 * <p>Every per-row operation is the one {@link Session} performs, and a batch of one row runs the very same
 * mat-vec kernels as {@link Session#decode}. With more rows, F32/F16/BF16 weights go through the tiled product,
 * whose sums are ordered differently (logits agree to float rounding); Q8_0/Q4_0 weights then multiply float
 * activations (the prefill numerics) rather than the 8-bit activations of single-token decode.
 *
 * <p>Not thread-safe (it keeps scratch buffers); one per scheduler thread. The sessions must not be used
 * elsewhere during a step.
 */
public final class BatchStep {

    /** Multiply-adds below which attention runs on the calling thread. */
    private static final long ATTENTION_PARALLEL_WORK = Session.ATTENTION_PARALLEL_WORK;

    private final Transformer model;
    private final ModelConfig c;
    private Buffers buffers;

    public BatchStep(Transformer model) {
        this.model = model;
        this.c = model.config();
    }

    /**
     * Runs {@code tokens.get(i)} through {@code sessions.get(i)} for every i at once and returns, per session, the
     * logits after its last new token. Positions advance. Each session's cache must have room (see
     * {@link KVCache#reserve}); a session must not appear twice.
     *
     * @throws IllegalArgumentException on an empty token list, a token outside the vocabulary, a session of
     *                                  another model, or a session listed twice
     * @throws IllegalStateException    when a session's context is full or its cache cannot grow
     */
    public float[][] step(List<Session> sessions, List<int[]> tokens) {
        if (sessions.size() != tokens.size()) {
            throw new IllegalArgumentException(sessions.size() + " sessions but " + tokens.size() + " token lists");
        }
        int seqs = sessions.size();
        if (seqs == 0) {
            return new float[0][];
        }
        int rows = 0;
        Map<Session, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < seqs; i++) {
            Session s = sessions.get(i);
            int[] t = tokens.get(i);
            if (s.model() != model) {
                throw new IllegalArgumentException("session " + i + " runs another model");
            }
            if (seen.put(s, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("session " + i + " appears twice in one step");
            }
            if (t.length == 0) {
                throw new IllegalArgumentException("session " + i + " has no tokens to run");
            }
            if (s.position() + t.length > s.capacity()) {
                throw new IllegalStateException("context is full: " + s.position() + " + " + t.length
                        + " tokens exceed the session's " + s.capacity());
            }
            rows += t.length;
        }
        for (int i = 0; i < seqs; i++) {
            Session s = sessions.get(i);
            if (!s.cache().reserve(s.position() + tokens.get(i).length)) {
                throw new IllegalStateException("KV memory budget exhausted: cannot grow session " + i
                        + "'s cache to " + (s.position() + tokens.get(i).length) + " positions");
            }
        }
        Buffers b = buffers(rows);
        // Row layout: session i's tokens occupy rows [first[i], first[i] + tokens[i].length).
        int[] rowSession = b.rowSession;
        int[] rowPosition = b.rowPosition;
        int[] lastRow = new int[seqs];
        int hidden = c.hiddenSize();
        int vocab = c.vocabSize();
        int r = 0;
        for (int i = 0; i < seqs; i++) {
            int[] t = tokens.get(i);
            int pos = sessions.get(i).position();
            for (int j = 0; j < t.length; j++, r++) {
                if (t[j] < 0 || t[j] >= vocab) {
                    throw new IllegalArgumentException("token id " + t[j] + " is outside the vocabulary (0.."
                            + (vocab - 1) + ")");
                }
                model.embedTokens().row(t[j], b.x, r * hidden);
                rowSession[r] = i;
                rowPosition[r] = pos + j;
            }
            lastRow[i] = r - 1;
        }
        List<AdapterGroup> groups = groups(sessions, rowSession, rows);
        for (int l = 0; l < model.layerCount(); l++) {
            layer(l, rows, sessions, groups, b);
        }
        for (int i = 0; i < seqs; i++) {
            sessions.get(i).advance(tokens.get(i).length);
        }
        float eps = (float) c.rmsNormEps();
        for (int i = 0; i < seqs; i++) {
            FloatOps.rmsNorm(b.xb, i * hidden, b.x, lastRow[i] * hidden, model.norm(), hidden, eps);
        }
        float[] all = new float[Math.multiplyExact(seqs, vocab)];
        matMul(model.lmHead(), b.xb, seqs, all);
        float[][] logits = new float[seqs][];
        for (int i = 0; i < seqs; i++) {
            logits[i] = java.util.Arrays.copyOfRange(all, i * vocab, (i + 1) * vocab);
        }
        return logits;
    }

    /** Rows that share an adapter (sessions without one are left out: they add nothing). */
    private record AdapterGroup(LoraAdapter adapter, int[] rows, int count) {
    }

    private static List<AdapterGroup> groups(List<Session> sessions, int[] rowSession, int rows) {
        Map<LoraAdapter, int[]> byAdapter = new IdentityHashMap<>();
        Map<LoraAdapter, Integer> counts = new IdentityHashMap<>();
        List<LoraAdapter> order = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            LoraAdapter a = sessions.get(rowSession[r]).adapter();
            if (a == null) {
                continue;
            }
            int[] list = byAdapter.get(a);
            if (list == null) {
                list = new int[rows];
                byAdapter.put(a, list);
                counts.put(a, 0);
                order.add(a);
            }
            int n = counts.get(a);
            list[n] = r;
            counts.put(a, n + 1);
        }
        List<AdapterGroup> groups = new ArrayList<>(order.size());
        for (LoraAdapter a : order) {
            groups.add(new AdapterGroup(a, byAdapter.get(a), counts.get(a)));
        }
        return groups;
    }

    private void layer(int l, int n, List<Session> sessions, List<AdapterGroup> groups, Buffers b) {
        Layer w = model.layer(l);
        int hidden = c.hiddenSize();
        int hd = c.headDim();
        float eps = (float) c.rmsNormEps();

        for (int i = 0; i < n; i++) {
            FloatOps.rmsNorm(b.xb, i * hidden, b.x, i * hidden, w.inputLayernorm(), hidden, eps);
        }
        linear(l, Projection.Q_PROJ, w, b.xb, n, b.q, groups, b);
        linear(l, Projection.K_PROJ, w, b.xb, n, b.k, groups, b);
        linear(l, Projection.V_PROJ, w, b.xb, n, b.v, groups, b);
        for (int i = 0; i < n; i++) {
            Session s = sessions.get(b.rowSession[i]);
            int pos = b.rowPosition[i];
            if (w.hasQkNorm()) {
                for (int h = 0; h < c.numAttentionHeads(); h++) {
                    int o = i * c.qDim() + h * hd;
                    FloatOps.rmsNorm(b.q, o, b.q, o, w.qNorm(), hd, eps);
                }
                for (int h = 0; h < c.numKeyValueHeads(); h++) {
                    int o = i * c.kvDim() + h * hd;
                    FloatOps.rmsNorm(b.k, o, b.k, o, w.kNorm(), hd, eps);
                }
            }
            s.rope().apply(b.q, i * c.qDim(), c.numAttentionHeads(), pos);
            s.rope().apply(b.k, i * c.kvDim(), c.numKeyValueHeads(), pos);
            s.cache().put(l, pos, b.k, i * c.kvDim(), b.v, i * c.kvDim());
        }
        attention(l, n, sessions, b);
        linear(l, Projection.O_PROJ, w, b.att, n, b.tmp, groups, b);
        FloatOps.add(b.tmp, b.x, n * hidden);

        for (int i = 0; i < n; i++) {
            FloatOps.rmsNorm(b.xb, i * hidden, b.x, i * hidden, w.postAttentionLayernorm(), hidden, eps);
        }
        linear(l, Projection.GATE_PROJ, w, b.xb, n, b.gate, groups, b);
        linear(l, Projection.UP_PROJ, w, b.xb, n, b.up, groups, b);
        FloatOps.swiglu(b.gate, b.up, n * c.intermediateSize());
        linear(l, Projection.DOWN_PROJ, w, b.gate, n, b.tmp, groups, b);
        FloatOps.add(b.tmp, b.x, n * hidden);
    }

    /** {@code out = W in} for all n rows at once, then each adapter group's low-rank term on its rows. */
    private void linear(int l, Projection p, Layer w, float[] in, int n, float[] out, List<AdapterGroup> groups,
                        Buffers b) {
        matMul(w.projection(p), in, n, out);
        for (AdapterGroup g : groups) {
            LoraDelta delta = g.adapter().delta(l, p);
            if (delta != null) {
                delta.addToRows(in, out, g.rows(), g.count(), b.loraTmp(g.count() * delta.rank()));
            }
        }
    }

    private static void matMul(WeightMatrix m, float[] in, int n, float[] out) {
        if (n == 1) {
            m.matVec(in, out);
        } else {
            m.matMul(in, n, out);
        }
    }

    /** Causal attention of every row over its own session's cache, one task per (row, head). */
    private void attention(int l, int n, List<Session> sessions, Buffers b) {
        int heads = c.numAttentionHeads();
        int hd = c.headDim();
        int kvDim = c.kvDim();
        int qDim = c.qDim();
        int group = c.groupSize();
        float scale = (float) (1.0 / Math.sqrt(hd));
        int maxCount = 0;
        long work = 0;
        for (int i = 0; i < n; i++) {
            maxCount = Math.max(maxCount, b.rowPosition[i] + 1);
            work += (long) heads * (b.rowPosition[i] + 1) * hd;
        }
        int scoreLength = Math.ceilDiv(maxCount, Attention.BLOCK) * Attention.BLOCK;
        int grain = work < ATTENTION_PARALLEL_WORK ? n * heads : 1;
        Parallel.forRange(n * heads, grain, (start, end) -> {
            float[] scores = new float[scoreLength];
            for (int item = start; item < end; item++) {
                int i = item / heads;
                int h = item % heads;
                KVCache cache = sessions.get(b.rowSession[i]).cache();
                int count = b.rowPosition[i] + 1;
                int qo = i * qDim + h * hd;
                int kvHead = h / group;
                Attention.scores(b.q, qo, cache.keys[l], cache.keyOffset(kvHead), cache.stride(), hd, count, scale,
                        scores);
                FloatOps.softmax(scores, 0, count);
                Attention.weightedValues(scores, count, cache.values[l], kvHead * hd, kvDim, hd, b.att, qo);
            }
        });
    }

    private Buffers buffers(int n) {
        if (buffers == null || buffers.n < n) {
            buffers = new Buffers(c, n);
        }
        return buffers;
    }

    /** Activation buffers for up to n rows, reused across steps. */
    private static final class Buffers {
        final int n;
        final float[] x;
        final float[] xb;
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] att;
        final float[] tmp;
        final float[] gate;
        final float[] up;
        final int[] rowSession;
        final int[] rowPosition;
        private float[] lora = new float[0];

        Buffers(ModelConfig c, int n) {
            this.n = n;
            x = new float[n * c.hiddenSize()];
            xb = new float[Math.max(n, 1) * c.hiddenSize()];
            q = new float[n * c.qDim()];
            k = new float[n * c.kvDim()];
            v = new float[n * c.kvDim()];
            att = new float[n * c.qDim()];
            tmp = new float[n * c.hiddenSize()];
            gate = new float[n * c.intermediateSize()];
            up = new float[n * c.intermediateSize()];
            rowSession = new int[n];
            rowPosition = new int[n];
        }

        float[] loraTmp(int size) {
            if (lora.length < size) {
                lora = new float[size];
            }
            return lora;
        }
    }
}
