package dev.orchard.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model: a vocabulary, ranked merges and the merge loop that turns one pre-token into token ids.
 *
 * <p>Two alphabets: a <em>byte-level</em> model (GPT-2, Llama-3, Qwen2, Orchard) starts every pre-token from its
 * UTF-8 bytes, each byte being the vocabulary entry of its {@link ByteLevel} character; a <em>character</em> model
 * (SentencePiece BPE) starts from Unicode characters and falls back to {@code <0xNN>} byte tokens, or to the
 * unknown token, for characters the vocabulary lacks.
 *
 * <p>The merge loop always applies the adjacent pair with the lowest rank, leftmost first, as Hugging Face
 * tokenizers and llama.cpp do. Merges of equal rank are allowed: GGUF's SentencePiece vocabularies rank a merge by
 * the score of the token it produces, and two pairs forming equally scored tokens then merge left to right, as in
 * llama.cpp. Immutable apart from its pre-token cache; thread-safe.
 */
final class BpeModel {

    /** The pre-token cache can be switched off (-Dorchard.tokenizer.cache=false) to measure the merge loop alone. */
    private static final boolean CACHE = Boolean.parseBoolean(System.getProperty("orchard.tokenizer.cache", "true"));
    private static final int CACHE_LIMIT = 100_000;
    private static final int CACHE_MAX_PIECE = 64;

    private final String[] vocab;
    private final Map<String, Integer> ids;
    private final PairMap merges;
    private final boolean byteLevel;
    private final boolean byteFallback;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;
    /** Byte-level: id of each byte's character; byte fallback: id of each {@code <0xNN>}; -1 where absent. */
    private final int[] byteIds = new int[256];
    /** Ids of single-character tokens in the Basic Multilingual Plane (character models), -1 where absent. */
    private final int[] charIds;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
    /**
     * Character models: the chars that some token has right before a ▁. Between any other char and a ▁ no merge
     * can ever happen, so a long piece (SentencePiece feeds the whole text as one) is cut there into words that
     * are merged, and cached, one by one, with exactly the same result. Null when no token holds a ▁.
     */
    private final java.util.BitSet beforeSpace;
    /**
     * Byte-level models with ignore_merges: tokens by the text they stand for, so that a pre-token that is a whole
     * token is found without converting it to bytes (tokens that are not valid UTF-8 can never equal a pre-token).
     */
    private final Map<String, Integer> wholeTokens;

    BpeModel(String[] vocab, PairMap merges, boolean byteLevel, boolean byteFallback, int unkId, boolean fuseUnk,
             boolean ignoreMerges) {
        this.vocab = vocab;
        this.merges = merges;
        this.byteLevel = byteLevel;
        this.byteFallback = byteFallback;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.ignoreMerges = ignoreMerges;
        this.ids = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) {
            if (vocab[i] != null) {
                ids.putIfAbsent(vocab[i], i);
            }
        }
        Arrays.fill(byteIds, -1);
        for (int b = 0; b < 256; b++) {
            String name = byteLevel ? String.valueOf(ByteLevel.charOf(b)) : byteTokenName(b);
            Integer id = ids.get(name);
            if (id != null) {
                byteIds[b] = id;
            }
        }
        if (byteLevel && ignoreMerges) {
            wholeTokens = new HashMap<>(vocab.length * 2);
            for (int i = 0; i < vocab.length; i++) {
                byte[] bytes = vocab[i] == null ? null : ByteLevel.decode(vocab[i]);
                if (bytes != null) {
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    if (Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
                        wholeTokens.putIfAbsent(text, i);
                    }
                }
            }
        } else {
            wholeTokens = null;
        }
        if (byteLevel) {
            charIds = null;
            beforeSpace = null;
        } else {
            java.util.BitSet before = new java.util.BitSet();
            boolean anySpace = false;
            for (String t : vocab) {
                if (t == null) {
                    continue;
                }
                for (int k = 0; k < t.length(); k++) {
                    if (t.charAt(k) == SPACE) {
                        anySpace = true;
                        if (k > 0) {
                            before.set(t.charAt(k - 1));
                        }
                    }
                }
            }
            beforeSpace = anySpace ? before : null;
            charIds = new int[65536];
            Arrays.fill(charIds, -1);
            for (int i = 0; i < vocab.length; i++) {
                String t = vocab[i];
                if (t != null && t.length() == 1 && charIds[t.charAt(0)] < 0 && !Character.isSurrogate(t.charAt(0))) {
                    charIds[t.charAt(0)] = i;
                }
            }
        }
    }

    private static final char SPACE = '\u2581';

    static String byteTokenName(int b) {
        return String.format("<0x%02X>", b);
    }

    int size() {
        return vocab.length;
    }

    /** Token text as stored in the vocabulary (byte-level characters, or ▁ for spaces), null for a gap. */
    String token(int id) {
        return id >= 0 && id < vocab.length ? vocab[id] : null;
    }

    Integer id(String token) {
        return ids.get(token);
    }

    boolean byteLevel() {
        return byteLevel;
    }

    boolean byteFallback() {
        return byteFallback;
    }

    int unkId() {
        return unkId;
    }

    boolean fuseUnk() {
        return fuseUnk;
    }

    boolean ignoreMerges() {
        return ignoreMerges;
    }

    PairMap merges() {
        return merges;
    }

    /** Appends the ids of one pre-token. Byte-level models take the raw text; character models the normalized one. */
    void encode(String piece, IntList out) {
        if (beforeSpace != null && piece.length() > 1) {
            int start = 0;
            for (int i = 1; i < piece.length(); i++) {
                if (piece.charAt(i) == SPACE && !beforeSpace.get(piece.charAt(i - 1))) {
                    encodeWord(piece.substring(start, i), out);
                    start = i;
                }
            }
            encodeWord(start == 0 ? piece : piece.substring(start), out);
            return;
        }
        encodeWord(piece, out);
    }

    private void encodeWord(String piece, IntList out) {
        if (piece.isEmpty()) {
            return;
        }
        boolean cacheable = CACHE && piece.length() <= CACHE_MAX_PIECE;
        if (cacheable) {
            int[] hit = cache.get(piece);
            if (hit != null) {
                out.addAll(hit);
                return;
            }
        }
        int[] result = encodeUncached(piece);
        if (cacheable) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(piece, result);
        }
        out.addAll(result);
    }

    private int[] encodeUncached(String piece) {
        int[] symbols;
        int n;
        if (byteLevel) {
            if (ignoreMerges) {
                Integer whole = wholeTokens.get(piece);
                if (whole != null) {
                    return new int[] {whole};
                }
            }
            symbols = new int[piece.length() * 3];
            n = utf8Symbols(piece, symbols);
        } else {
            if (ignoreMerges) {
                Integer whole = ids.get(piece);
                if (whole != null) {
                    return new int[] {whole};
                }
            }
            symbols = new int[piece.length() * 4];
            n = 0;
            boolean lastUnk = false;
            for (int i = 0; i < piece.length(); ) {
                int cp = piece.codePointAt(i);
                int len = Character.charCount(cp);
                int id = cp < 65536 && !Character.isSurrogate((char) cp) ? charIds[cp] : idOrMinus(piece.substring(i, i + len));
                i += len;
                if (id >= 0) {
                    symbols[n++] = id;
                    lastUnk = false;
                    continue;
                }
                if (byteFallback) {
                    byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    boolean all = true;
                    for (byte b : bytes) {
                        all &= byteIds[b & 0xFF] >= 0;
                    }
                    if (all) {
                        for (byte b : bytes) {
                            symbols[n++] = byteIds[b & 0xFF];
                        }
                        lastUnk = false;
                        continue;
                    }
                }
                if (unkId >= 0) {
                    if (!(fuseUnk && lastUnk)) {
                        symbols[n++] = unkId;
                    }
                    lastUnk = true;
                }
            }
        }
        return mergeAll(symbols, n);
    }

    /**
     * Writes the byte-level symbol of each UTF-8 byte of {@code s} (a lone surrogate encodes as '?', as
     * String.getBytes does). A byte the vocabulary lacks is dropped, as llama.cpp and HF (without unk) do.
     */
    private int utf8Symbols(String s, int[] out) {
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n = put(out, n, c);
            } else if (c < 0x800) {
                n = put(out, n, 0xC0 | (c >> 6));
                n = put(out, n, 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                n = put(out, n, 0xF0 | (cp >> 18));
                n = put(out, n, 0x80 | ((cp >> 12) & 0x3F));
                n = put(out, n, 0x80 | ((cp >> 6) & 0x3F));
                n = put(out, n, 0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                n = put(out, n, '?');
            } else {
                n = put(out, n, 0xE0 | (c >> 12));
                n = put(out, n, 0x80 | ((c >> 6) & 0x3F));
                n = put(out, n, 0x80 | (c & 0x3F));
            }
        }
        return n;
    }

    private int put(int[] out, int n, int b) {
        int id = byteIds[b];
        if (id >= 0) {
            out[n++] = id;
        }
        return n;
    }

    private int idOrMinus(String s) {
        Integer id = ids.get(s);
        return id == null ? -1 : id;
    }

    /** Applies merges to {@code sym[0..n)} until none applies: lowest rank first, leftmost among equal ranks. */
    int[] mergeAll(int[] sym, int n) {
        if (n < 2) {
            return Arrays.copyOf(sym, n);
        }
        return n <= SMALL ? mergeSmall(sym, n) : mergeHeap(sym, n);
    }

    /** The merge loop with a heap of candidate pairs and a linked list over the symbols: O(n log n). */
    int[] mergeHeap(int[] sym, int n) {
        int[] next = new int[n];
        int[] prev = new int[n];
        LongHeap heap = new LongHeap(n * 2);
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) {
                long m = merges.get(sym[i], sym[i + 1]);
                if (m >= 0) {
                    heap.push((m & 0xFFFFFFFF00000000L) | i);
                }
            }
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            if (sym[pos] < 0) {
                continue;
            }
            int right = next[pos];
            if (right < 0) {
                continue;
            }
            long m = merges.get(sym[pos], sym[right]);
            // Entries are never removed from the heap; one whose pair has changed since is skipped here.
            if (m < 0 || (int) (m >>> 32) != rank) {
                continue;
            }
            sym[pos] = (int) m;
            sym[right] = -1;
            alive--;
            next[pos] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            int p = prev[pos];
            if (p >= 0) {
                long mp = merges.get(sym[p], sym[pos]);
                if (mp >= 0) {
                    heap.push((mp & 0xFFFFFFFF00000000L) | p);
                }
            }
            int q = next[pos];
            if (q >= 0) {
                long mq = merges.get(sym[pos], sym[q]);
                if (mq >= 0) {
                    heap.push((mq & 0xFFFFFFFF00000000L) | pos);
                }
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = sym[i];
        }
        return out;
    }

    private static final int SMALL = 48;

    /**
     * The same merge order for short words without a heap: keep the merge of each adjacent pair in an array, take
     * the lowest rank (leftmost on ties) by a scan, and look up only the two pairs a merge changes.
     */
    int[] mergeSmall(int[] sym, int n) {
        long[] pair = new long[n - 1];
        for (int i = 0; i + 1 < n; i++) {
            pair[i] = merges.get(sym[i], sym[i + 1]);
        }
        while (n > 1) {
            int best = -1;
            long bestKey = Long.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                long m = pair[i];
                // rank sits in the high half, so comparing whole entries compares ranks; ties keep the leftmost
                if (m >= 0 && (m >>> 32) < (bestKey >>> 32)) {
                    bestKey = m;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            sym[best] = (int) bestKey;
            System.arraycopy(sym, best + 2, sym, best + 1, n - best - 2);
            System.arraycopy(pair, best + 1, pair, best, n - best - 2);
            n--;
            if (best > 0) {
                pair[best - 1] = merges.get(sym[best - 1], sym[best]);
            }
            if (best + 1 < n) {
                pair[best] = merges.get(sym[best], sym[best + 1]);
            }
        }
        return Arrays.copyOf(sym, n);
    }

    /** Binary min-heap of longs (rank in the high half, position in the low half). */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (a[parent] <= v) {
                    break;
                }
                a[i] = a[parent];
                i = parent;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && a[child + 1] < a[child]) {
                    child++;
                }
                if (last <= a[child]) {
                    break;
                }
                a[i] = a[child];
                i = child;
            }
            a[i] = last;
            return top;
        }
    }
}
