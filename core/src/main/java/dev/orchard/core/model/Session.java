package dev.orchard.core.model;

import dev.orchard.core.adapter.LoraAdapter;
import dev.orchard.core.adapter.LoraDelta;
import dev.orchard.core.kernel.FloatOps;
import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.quant.WeightMatrices;
import dev.orchard.core.quant.WeightMatrix;

/**
 * One sequence being run through a model: its KV cache, position and active adapter. Prefill pushes many tokens
 * through matrix-matrix products; decode pushes one through matrix-vector products. Not thread-safe; any number of
 * sessions can share one {@link Transformer}.
 *
 * <p>The forward pass, per layer: {@code x += o(attn(rope(qknorm(q(norm(x)))), rope(qknorm(k(norm(x)))), v(norm(x))))},
 * then {@code x += down(silu(gate(norm(x))) * up(norm(x)))}; finally {@code logits = lmHead(norm(x))}.
 */
public final class Session {

    /** Tokens pushed through the layers at once during prefill; bounds scratch memory. */
    static final int PREFILL_CHUNK = 128;

    /** Multiply-adds (tokens x heads x positions x head_dim) below which attention runs on the calling thread. */
    static final long ATTENTION_PARALLEL_WORK = 1 << 14;

    private final Transformer model;
    private final ModelConfig c;
    private final KVCache cache;
    private final Rope rope;
    private LoraAdapter adapter;
    private int position;

    private Scratch scratch;
    private OpTimes profile;

    public Session(Transformer model, int maxContext) {
        this(model, maxContext, null);
    }

    public Session(Transformer model, int maxContext, LoraAdapter adapter) {
        this(model, new KVCache(checkContext(maxContext, model), maxContext), adapter);
    }

    /**
     * A session over a cache of the caller's making, for example a {@link KVCache#growable growable} one under a
     * shared memory budget; the context length is the cache's capacity.
     */
    public Session(Transformer model, KVCache cache, LoraAdapter adapter) {
        this.model = model;
        this.c = model.config();
        this.cache = cache;
        this.rope = new Rope(c, cache.capacity(), model.adjacentPairRope());
        setAdapter(adapter);
    }

    private static ModelConfig checkContext(int maxContext, Transformer model) {
        if (maxContext <= 0) {
            throw new IllegalArgumentException("context length must be positive, got " + maxContext);
        }
        return model.config();
    }

    /** Sets (or clears, with null) the adapter applied from the next token on. No weights are reloaded. */
    public void setAdapter(LoraAdapter adapter) {
        if (adapter != null && adapter.layerCount() != c.numHiddenLayers()) {
            throw new IllegalArgumentException("adapter " + adapter.name() + " is for " + adapter.layerCount()
                    + " layers, the model has " + c.numHiddenLayers());
        }
        this.adapter = adapter;
    }

    /** Attaches (or detaches, with null) a per-operation timer; costs two clock reads per operation. */
    public void setProfile(OpTimes profile) {
        this.profile = profile;
    }

    public LoraAdapter adapter() {
        return adapter;
    }

    /** Tokens already in the cache. */
    public int position() {
        return position;
    }

    public int capacity() {
        return cache.capacity();
    }

    /** The session's KV cache (for memory accounting: {@link KVCache#byteSize()}, {@link KVCache#release()}). */
    public KVCache cache() {
        return cache;
    }

    /** The weights this session runs. */
    public Transformer model() {
        return model;
    }

    Rope rope() {
        return rope;
    }

    /** Called by {@link BatchStep} after it has written {@code n} positions of this session's cache. */
    void advance(int n) {
        position += n;
    }

    /** Forgets the sequence (the cache is overwritten from position 0). */
    public void reset() {
        position = 0;
    }

    /** Rewinds to {@code newPosition} tokens (speculative decoding drops rejected drafts this way). */
    public void truncate(int newPosition) {
        if (newPosition < 0 || newPosition > position) {
            throw new IllegalArgumentException("cannot truncate to " + newPosition + " at position " + position);
        }
        position = newPosition;
    }

    /** Runs {@code tokens} and returns the logits after the last one. */
    public float[] prefill(int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("prefill needs at least one token");
        }
        float[] logits = null;
        for (int start = 0; start < tokens.length; start += PREFILL_CHUNK) {
            int n = Math.min(PREFILL_CHUNK, tokens.length - start);
            logits = forward(tokens, start, n, false);
        }
        return logits;
    }

    /** Runs {@code tokens} and returns the logits after each of them: {@code tokens.length * vocab} floats. */
    public float[] prefillAll(int[] tokens) {
        int vocab = c.vocabSize();
        float[] all = new float[Math.multiplyExact(tokens.length, vocab)];
        for (int start = 0; start < tokens.length; start += PREFILL_CHUNK) {
            int n = Math.min(PREFILL_CHUNK, tokens.length - start);
            float[] chunk = forward(tokens, start, n, true);
            System.arraycopy(chunk, 0, all, start * vocab, n * vocab);
        }
        return all;
    }

    /** Runs one token and returns the logits after it. */
    public float[] decode(int token) {
        return forward(new int[] {token}, 0, 1, false, true);
    }

    /**
     * Runs {@code tokens} with decode's arithmetic and returns the logits after each of them ({@code tokens.length
     * * vocab} floats): the same values as calling {@link #decode} on each token in turn, but every weight matrix is
     * read once for all of them ({@link WeightMatrix#matVecEach}). Speculative decoding verifies a draft this way,
     * so that its greedy output is the plain decoder's; {@link #prefillAll} rounds differently (float tiles).
     */
    public float[] decodeAll(int[] tokens) {
        int vocab = c.vocabSize();
        float[] all = new float[Math.multiplyExact(tokens.length, vocab)];
        for (int start = 0; start < tokens.length; start += PREFILL_CHUNK) {
            int n = Math.min(PREFILL_CHUNK, tokens.length - start);
            float[] chunk = forward(tokens, start, n, true, true);
            System.arraycopy(chunk, 0, all, start * vocab, n * vocab);
        }
        return all;
    }

    private float[] forward(int[] tokens, int from, int n, boolean allLogits) {
        return forward(tokens, from, n, allLogits, false);
    }

    /**
     * The forward pass of n tokens. With {@code asDecode}, each token gets exactly the arithmetic a lone decoded
     * token gets (mat-vecs, per-token element-wise kernels whose vector tails fall where decode's do); otherwise the
     * projections are matrix-matrix products (faster for prompts, rounding slightly differently).
     */
    private float[] forward(int[] tokens, int from, int n, boolean allLogits, boolean asDecode) {
        if (position + n > cache.capacity()) {
            throw new IllegalStateException("context is full: " + position + " + " + n + " tokens exceed the session's "
                    + cache.capacity());
        }
        if (!cache.reserve(position + n)) {
            throw new IllegalStateException("KV memory budget exhausted: cannot grow the cache to " + (position + n)
                    + " positions");
        }
        int hidden = c.hiddenSize();
        int vocab = c.vocabSize();
        Scratch s = scratch(n);
        for (int i = 0; i < n; i++) {
            int token = tokens[from + i];
            if (token < 0 || token >= vocab) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
            model.embedTokens().row(token, s.x, i * hidden);
        }
        long start = profile == null ? 0 : System.nanoTime();
        for (int l = 0; l < model.layerCount(); l++) {
            layer(l, n, asDecode, s);
        }
        position += n;
        long headStart = profile == null ? 0 : System.nanoTime();
        try {
            return logits(n, allLogits, asDecode, s);
        } finally {
            if (profile != null) {
                long end = System.nanoTime();
                profile.add(OpTimes.Op.LM_HEAD, end - headStart);
                profile.add(OpTimes.Op.NORMS_ROPE_OTHER, (headStart - start) - layerTimed);
                layerTimed = 0;
            }
        }
    }

    private long layerTimed;

    private float[] logits(int n, boolean allLogits, boolean asDecode, Scratch s) {
        int hidden = c.hiddenSize();
        int vocab = c.vocabSize();

        float eps = (float) c.rmsNormEps();
        if (!allLogits) {
            FloatOps.rmsNorm(s.xb, 0, s.x, (n - 1) * hidden, model.norm(), hidden, eps);
            float[] logits = new float[vocab];
            model.lmHead().matVec(s.xb, logits);
            return logits;
        }
        for (int i = 0; i < n; i++) {
            FloatOps.rmsNorm(s.xb, i * hidden, s.x, i * hidden, model.norm(), hidden, eps);
        }
        float[] logits = new float[n * vocab];
        if (asDecode) {
            model.lmHead().matVecEach(s.xb, n, logits);
        } else {
            model.lmHead().matMul(s.xb, n, logits);
        }
        return logits;
    }

    private void layer(int l, int n, boolean asDecode, Scratch s) {
        Layer w = model.layer(l);
        int hidden = c.hiddenSize();
        int hd = c.headDim();
        float eps = (float) c.rmsNormEps();

        for (int i = 0; i < n; i++) {
            FloatOps.rmsNorm(s.xb, i * hidden, s.x, i * hidden, w.inputLayernorm(), hidden, eps);
        }
        linear3(l, w, Projection.Q_PROJ, Projection.K_PROJ, Projection.V_PROJ, s.xb, n, asDecode, s.q, s.k, s.v, s);
        for (int i = 0; i < n; i++) {
            int pos = position + i;
            if (w.hasQkNorm()) {
                for (int h = 0; h < c.numAttentionHeads(); h++) {
                    int o = i * c.qDim() + h * hd;
                    FloatOps.rmsNorm(s.q, o, s.q, o, w.qNorm(), hd, eps);
                }
                for (int h = 0; h < c.numKeyValueHeads(); h++) {
                    int o = i * c.kvDim() + h * hd;
                    FloatOps.rmsNorm(s.k, o, s.k, o, w.kNorm(), hd, eps);
                }
            }
            rope.apply(s.q, i * c.qDim(), c.numAttentionHeads(), pos);
            rope.apply(s.k, i * c.kvDim(), c.numKeyValueHeads(), pos);
            cache.put(l, pos, s.k, i * c.kvDim(), s.v, i * c.kvDim());
        }
        long a0 = profile == null ? 0 : System.nanoTime();
        attention(l, n, s);
        if (profile != null) {
            long elapsed = System.nanoTime() - a0;
            profile.add(OpTimes.Op.ATTENTION, elapsed);
            layerTimed += elapsed;
        }
        linear(l, Projection.O_PROJ, w, s.att, n, asDecode, s.tmp, s);
        FloatOps.add(s.tmp, s.x, n * hidden);

        for (int i = 0; i < n; i++) {
            FloatOps.rmsNorm(s.xb, i * hidden, s.x, i * hidden, w.postAttentionLayernorm(), hidden, eps);
        }
        linear3(l, w, Projection.GATE_PROJ, Projection.UP_PROJ, null, s.xb, n, asDecode, s.gate, s.up, null, s);
        if (asDecode) {
            int inter = c.intermediateSize();
            for (int i = 0; i < n; i++) {
                FloatOps.swiglu(s.gate, s.up, i * inter, inter);
            }
        } else {
            FloatOps.swiglu(s.gate, s.up, n * c.intermediateSize());
        }
        linear(l, Projection.DOWN_PROJ, w, s.gate, n, asDecode, s.tmp, s);
        FloatOps.add(s.tmp, s.x, n * hidden);
    }

    /**
     * Two or three projections of the same input. Decoding one token, they run as one parallel job (one barrier
     * and, for 8/4-bit weights, one activation quantization instead of three); the per-operation profile keeps
     * them apart so it can time each.
     */
    private void linear3(int l, Layer w, Projection a, Projection b, Projection c, float[] in, int n,
                         boolean asDecode, float[] outA, float[] outB, float[] outC, Scratch s) {
        if (n != 1 || profile != null) {
            linear(l, a, w, in, n, asDecode, outA, s);
            linear(l, b, w, in, n, asDecode, outB, s);
            if (c != null) {
                linear(l, c, w, in, n, asDecode, outC, s);
            }
            return;
        }
        if (c == null) {
            WeightMatrices.matVec(in, new WeightMatrix[] {w.projection(a), w.projection(b)}, new float[][] {outA, outB});
        } else {
            WeightMatrices.matVec(in, new WeightMatrix[] {w.projection(a), w.projection(b), w.projection(c)},
                    new float[][] {outA, outB, outC});
        }
        addDelta(l, a, in, 1, outA, s);
        addDelta(l, b, in, 1, outB, s);
        if (c != null) {
            addDelta(l, c, in, 1, outC, s);
        }
    }

    private void addDelta(int l, Projection p, float[] in, int n, float[] out, Scratch s) {
        LoraDelta delta = adapter == null ? null : adapter.delta(l, p);
        if (delta != null) {
            for (int i = 0; i < n; i++) {
                delta.addTo(in, i * delta.in(), out, i * delta.out(), s.loraTmp(delta.rank()));
            }
        }
    }

    /**
     * {@code out = W in} for n inputs, plus the active adapter's low-rank path when it targets this projection;
     * {@code asDecode} takes each input's mat-vec (decode's arithmetic) instead of one matrix-matrix product.
     */
    private void linear(int l, Projection p, Layer w, float[] in, int n, boolean asDecode, float[] out, Scratch s) {
        long t0 = profile == null ? 0 : System.nanoTime();
        WeightMatrix m = w.projection(p);
        if (n == 1) {
            m.matVec(in, out);
        } else if (asDecode) {
            m.matVecEach(in, n, out);
        } else {
            m.matMul(in, n, out);
        }
        addDelta(l, p, in, n, out, s);
        if (profile != null) {
            long elapsed = System.nanoTime() - t0;
            profile.add(p, elapsed);
            layerTimed += elapsed;
        }
    }

    /** Causal grouped-query attention of the n new tokens over the cache, one task per (token, head). */
    private void attention(int l, int n, Scratch s) {
        int heads = c.numAttentionHeads();
        int hd = c.headDim();
        int kvDim = c.kvDim();
        int qDim = c.qDim();
        int group = c.groupSize();
        int stride = cache.stride();
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] keys = cache.keys[l];
        float[] values = cache.values[l];
        int base = position;
        // Short contexts are a few microseconds of work: splitting them across threads costs more than it saves.
        long work = (long) n * heads * (base + n) * hd;
        int grain = work < ATTENTION_PARALLEL_WORK ? n * heads : 1;
        Parallel.forRange(n * heads, grain, (start, end) -> {
            float[] scores = new float[Math.ceilDiv(base + n, Attention.BLOCK) * Attention.BLOCK];
            for (int item = start; item < end; item++) {
                int i = item / heads;
                int h = item % heads;
                int count = base + i + 1;
                int qo = i * qDim + h * hd;
                int kvHead = h / group;
                Attention.scores(s.q, qo, keys, cache.keyOffset(kvHead), stride, hd, count, scale, scores);
                FloatOps.softmax(scores, 0, count);
                Attention.weightedValues(scores, count, values, kvHead * hd, kvDim, hd, s.att, qo);
            }
        });
    }

    private Scratch scratch(int n) {
        if (scratch == null || scratch.n < n) {
            scratch = new Scratch(c, n);
        }
        return scratch;
    }

    /** Activation buffers for up to n tokens, reused across calls. */
    private static final class Scratch {
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
        private float[] lora = new float[0];

        Scratch(ModelConfig c, int n) {
            this.n = n;
            x = new float[n * c.hiddenSize()];
            xb = new float[n * c.hiddenSize()];
            q = new float[n * c.qDim()];
            k = new float[n * c.kvDim()];
            v = new float[n * c.kvDim()];
            att = new float[n * c.qDim()];
            tmp = new float[n * c.hiddenSize()];
            gate = new float[n * c.intermediateSize()];
            up = new float[n * c.intermediateSize()];
        }

        float[] loraTmp(int rank) {
            if (lora.length < rank) {
                lora = new float[rank];
            }
            return lora;
        }
    }
}
