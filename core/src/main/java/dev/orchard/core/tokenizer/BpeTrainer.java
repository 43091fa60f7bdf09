package dev.orchard.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains a byte-level BPE tokenizer with Orchard's choices: every one of the 256 bytes is a token (so no text is
 * ever unknown), no Unicode normalization, pre-tokenization with Qwen2's split (Llama-3's, with each digit on its
 * own), and special tokens (BOS, EOS, PAD, chat-role markers) at the first ids.
 *
 * <p>Pre-token frequencies are counted once over the corpus (in parallel); merging then keeps the count of every
 * adjacent pair and, for each merge, updates only the words that contain the merged pair, with a lazy max-heap to
 * find the next best pair. Ties go to the smaller (left, right) id pair, as in Hugging Face's trainer.
 */
public final class BpeTrainer {

    /** Training settings. Special tokens get ids 0.. in list order; bos/eos/pad must be among them (or null). */
    public record Options(int vocabSize, int minFrequency, List<String> specialTokens, String bosToken,
                          String eosToken, String padToken, boolean addBos, int threads) {

        public Options {
            Objects.requireNonNull(specialTokens, "specialTokens");
            if (new HashSet<>(specialTokens).size() != specialTokens.size()) {
                throw new IllegalArgumentException("special tokens must be distinct: " + specialTokens);
            }
            for (String t : new String[] {bosToken, eosToken, padToken}) {
                if (t != null && !specialTokens.contains(t)) {
                    throw new IllegalArgumentException("\"" + t + "\" must be one of the special tokens " + specialTokens);
                }
            }
            if (specialTokens.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("special tokens must not be empty");
            }
            if (vocabSize < specialTokens.size() + 256) {
                throw new IllegalArgumentException("vocab size " + vocabSize + " is below " + (specialTokens.size() + 256)
                        + " (the special tokens plus 256 bytes)");
            }
            if (minFrequency < 1 || threads < 1) {
                throw new IllegalArgumentException("min frequency and threads must be at least 1");
            }
            if (addBos && bosToken == null) {
                throw new IllegalArgumentException("addBos needs a BOS token");
            }
        }

        /** Orchard's defaults: PAD, BOS, EOS, role markers and end-of-turn; BOS added; pairs seen at least twice. */
        public static Options defaults(int vocabSize) {
            return new Options(vocabSize, 2, List.of(ChatTemplate.PAD, ChatTemplate.BOS, ChatTemplate.EOS,
                    ChatTemplate.SYSTEM, ChatTemplate.USER, ChatTemplate.ASSISTANT, ChatTemplate.END_OF_TURN),
                    ChatTemplate.BOS, ChatTemplate.EOS, ChatTemplate.PAD, true,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
        }

        public Options withSpecialTokens(List<String> tokens, String bos, String eos, String pad) {
            return new Options(vocabSize, minFrequency, tokens, bos, eos, pad, addBos && bos != null, threads);
        }

        public Options withMinFrequency(int min) {
            return new Options(vocabSize, min, specialTokens, bosToken, eosToken, padToken, addBos, threads);
        }

        public Options withThreads(int n) {
            return new Options(vocabSize, minFrequency, specialTokens, bosToken, eosToken, padToken, addBos, n);
        }
    }

    /** Progress callbacks: phase "counting" (bytes read of the corpus size) and "merging" (merges of the target). */
    @FunctionalInterface
    public interface Progress {
        void update(String phase, long done, long total);

        static Progress none() {
            return (phase, done, total) -> {
            };
        }
    }

    /** What training produced, with figures for the log. */
    public record Result(BpeTokenizer tokenizer, long documents, long pieces, int distinctPieces, int merges) {
    }

    static final String PRE_TOKENIZER_JSON = "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":"
            + "{\"Regex\":%s},\"behavior\":\"Isolated\",\"invert\":false},{\"type\":\"ByteLevel\","
            + "\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}";
    static final String DECODER_JSON = "{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,"
            + "\"use_regex\":true}";

    private BpeTrainer() {
    }

    public static Result train(TextCorpus corpus, Options options, Progress progress) throws IOException {
        Counts counts = count(corpus, options.threads(), progress);
        return merge(counts, options, progress);
    }

    // ---- phase 1: pre-token frequencies -------------------------------------------------------------------------

    private record Counts(Map<String, int[]> pieces, long documents, long total) {
    }

    private static Counts count(TextCorpus corpus, int threads, Progress progress) throws IOException {
        Scanner scanner = new Scanner.Llama3(1);
        long size = corpus.sizeBytes();
        AtomicLong done = new AtomicLong();
        long[] documents = {0};
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bpe-count");
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<List<String>> queue = new ArrayBlockingQueue<>(threads * 2);
        List<String> poison = new ArrayList<>();
        List<Future<Map<String, int[]>>> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            workers.add(pool.submit(() -> {
                Map<String, int[]> local = new HashMap<>(1 << 16);
                while (true) {
                    List<String> batch = queue.take();
                    if (batch == poison) {
                        return local;
                    }
                    long chars = 0;
                    for (String doc : batch) {
                        scanner.scan(doc, (s, e) -> {
                            int[] c = local.get(doc.substring(s, e));
                            if (c == null) {
                                local.put(doc.substring(s, e), new int[] {1});
                            } else {
                                c[0]++;
                            }
                        });
                        chars += doc.length();
                    }
                    progress.update("counting", done.addAndGet(chars), size);
                }
            }));
        }
        try {
            List<String>[] batch = new List[] {new ArrayList<>()};
            long[] batchChars = {0};
            corpus.forEach(doc -> {
                documents[0]++;
                batch[0].add(doc);
                batchChars[0] += doc.length();
                if (batchChars[0] >= 256 * 1024) {
                    put(queue, batch[0]);
                    batch[0] = new ArrayList<>();
                    batchChars[0] = 0;
                }
            });
            put(queue, batch[0]);
            for (int w = 0; w < threads; w++) {
                put(queue, poison);
            }
            Map<String, int[]> all = null;
            for (Future<Map<String, int[]>> f : workers) {
                Map<String, int[]> local = f.get();
                if (all == null) {
                    all = local;
                } else {
                    for (Map.Entry<String, int[]> e : local.entrySet()) {
                        int[] c = all.putIfAbsent(e.getKey(), e.getValue());
                        if (c != null) {
                            c[0] += e.getValue()[0];
                        }
                    }
                }
            }
            long total = 0;
            for (int[] c : all.values()) {
                total += c[0];
            }
            return new Counts(all, documents[0], total);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("counting failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void put(BlockingQueue<List<String>> queue, List<String> batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- phase 2: merges --------------------------------------------------------------------------------------

    private static Result merge(Counts counts, Options options, Progress progress) {
        int specials = options.specialTokens().size();
        int target = options.vocabSize();
        // Words: each distinct pre-token as symbols (ids), with its frequency.
        int n = counts.pieces().size();
        int[][] words = new int[n][];
        int[] lengths = new int[n];
        long[] freq = new long[n];
        int w = 0;
        for (Map.Entry<String, int[]> e : counts.pieces().entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] sym = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                sym[i] = specials + (bytes[i] & 0xFF);
            }
            words[w] = sym;
            lengths[w] = sym.length;
            freq[w] = e.getValue()[0];
            w++;
        }
        counts.pieces().clear();

        List<byte[]> tokenBytes = new ArrayList<>(target);
        for (String s : options.specialTokens()) {
            tokenBytes.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (int b = 0; b < 256; b++) {
            tokenBytes.add(new byte[] {(byte) b});
        }
        Set<String> specialSet = new HashSet<>(options.specialTokens());

        Pairs pairs = new Pairs();
        for (int i = 0; i < n; i++) {
            int[] s = words[i];
            for (int k = 0; k + 1 < lengths[i]; k++) {
                pairs.add(pairs.id(s[k], s[k + 1]), freq[i], i);
            }
        }
        PairHeap heap = new PairHeap(pairs);
        for (int p = 0; p < pairs.size; p++) {
            if (pairs.count[p] > 0) {
                heap.push(p, pairs.count[p]);
            }
        }

        List<int[]> merges = new ArrayList<>();
        int[] seen = new int[n];
        Arrays.fill(seen, -1);
        IntList touched = new IntList(1024);
        int nextId = specials + 256;
        int mergeNo = 0;
        while (nextId < target && !heap.isEmpty()) {
            long snapshot = heap.topCount();
            int p = heap.pop();
            long current = pairs.count[p];
            if (current != snapshot) { // stale entry: requeue with the true count
                if (current > 0 && !pairs.banned[p]) {
                    heap.push(p, current);
                }
                continue;
            }
            if (current < options.minFrequency()) {
                break;
            }
            int a = pairs.left[p];
            int b = pairs.right[p];
            byte[] merged = concat(tokenBytes.get(a), tokenBytes.get(b));
            if (specialSet.contains(ByteLevel.encode(merged))) { // would collide with a special token's vocab entry
                pairs.banned[p] = true;
                continue;
            }
            int id = nextId++;
            tokenBytes.add(merged);
            merges.add(new int[] {a, b});
            touched.clearAll();
            IntList where = pairs.words[p];
            for (int k = 0; k < where.size(); k++) {
                int word = where.get(k);
                if (seen[word] == mergeNo) {
                    continue;
                }
                seen[word] = mergeNo;
                applyMerge(words[word], lengths, word, freq[word], a, b, id, pairs, touched);
            }
            pairs.count[p] = 0;
            pairs.words[p] = null;
            for (int k = 0; k < touched.size(); k++) {
                int q = touched.get(k);
                if (pairs.count[q] > 0 && !pairs.banned[q]) {
                    heap.push(q, pairs.count[q]);
                }
            }
            mergeNo++;
            if ((mergeNo & 63) == 0 || nextId == target) {
                progress.update("merging", nextId, target);
            }
        }
        progress.update("merging", nextId, target);
        return new Result(build(options, tokenBytes, merges), counts.documents(), counts.total(), n, merges.size());
    }

    /** Replaces (a, b) by {@code id} in one word and moves its frequency to the pairs it creates. */
    private static void applyMerge(int[] s, int[] lengths, int word, long f, int a, int b, int id, Pairs pairs,
                                   IntList touched) {
        int len = lengths[word];
        int out = 0;
        int i = 0;
        while (i < len) {
            if (i + 1 < len && s[i] == a && s[i + 1] == b) {
                // The left neighbour is read from the output (already merged), the right one from the input: the
                // deltas then also hold for overlapping occurrences such as (x, x) in "x x x".
                if (out > 0) {
                    int prev = s[out - 1];
                    pairs.add(pairs.id(prev, a), -f, -1);
                    int q = pairs.id(prev, id);
                    pairs.add(q, f, word);
                    pairs.touch(q, touched);
                }
                if (i + 2 < len) {
                    int next = s[i + 2];
                    pairs.add(pairs.id(b, next), -f, -1);
                    int q = pairs.id(id, next);
                    pairs.add(q, f, word);
                    pairs.touch(q, touched);
                }
                s[out++] = id;
                i += 2;
            } else {
                s[out++] = s[i++];
            }
        }
        lengths[word] = out;
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    private static BpeTokenizer build(Options options, List<byte[]> tokenBytes, List<int[]> merges) {
        int specials = options.specialTokens().size();
        String[] vocab = new String[tokenBytes.size()];
        List<AddedToken> added = new ArrayList<>();
        for (int i = 0; i < specials; i++) {
            vocab[i] = options.specialTokens().get(i);
            added.add(AddedToken.special(i, vocab[i]));
        }
        for (int i = specials; i < vocab.length; i++) {
            vocab[i] = ByteLevel.encode(tokenBytes.get(i));
        }
        PairMap pairMap = new PairMap(merges.size());
        for (int r = 0; r < merges.size(); r++) {
            pairMap.putIfAbsent(merges.get(r)[0], merges.get(r)[1], r, specials + 256 + r);
        }
        BpeModel model = new BpeModel(vocab, pairMap, true, false, -1, false, false);
        int bos = options.bosToken() == null ? -1 : options.specialTokens().indexOf(options.bosToken());
        int eos = options.eosToken() == null ? -1 : options.specialTokens().indexOf(options.eosToken());
        int pad = options.padToken() == null ? -1 : options.specialTokens().indexOf(options.padToken());
        try {
            String pre = PRE_TOKENIZER_JSON.formatted(Json.MAPPER.writeValueAsString(Regexes.QWEN2));
            return new BpeTokenizer(new BpeTokenizer.Parts(model, null, Json.MAPPER.readTree(pre),
                    Json.MAPPER.readTree(DECODER_JSON), null, added,
                    options.addBos() ? new int[] {bos} : new int[0], new int[0], bos, eos, pad));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every adjacent pair seen: ids, count and the words holding it (may include words that lost it since). */
    private static final class Pairs {
        int size;
        int[] left = new int[1 << 16];
        int[] right = new int[1 << 16];
        long[] count = new long[1 << 16];
        boolean[] banned = new boolean[1 << 16];
        IntList[] words = new IntList[1 << 16];
        int[] stamp = new int[1 << 16];
        int stampNo = 1;
        private final LongIntMap index = new LongIntMap(1 << 16);

        int id(int a, int b) {
            long key = PairMap.key(a, b);
            int p = index.get(key);
            if (p >= 0) {
                return p;
            }
            if (size == left.length) {
                int cap = size * 2;
                left = Arrays.copyOf(left, cap);
                right = Arrays.copyOf(right, cap);
                count = Arrays.copyOf(count, cap);
                banned = Arrays.copyOf(banned, cap);
                words = Arrays.copyOf(words, cap);
                stamp = Arrays.copyOf(stamp, cap);
            }
            p = size++;
            left[p] = a;
            right[p] = b;
            index.put(key, p);
            return p;
        }

        /** Adds {@code delta} to a pair's count and, for a word gaining the pair, records where it is. */
        void add(int p, long delta, int word) {
            count[p] += delta;
            if (word >= 0) {
                IntList list = words[p];
                if (list == null) {
                    list = words[p] = new IntList(4);
                }
                if (list.size() == 0 || list.get(list.size() - 1) != word) {
                    list.add(word);
                }
            }
        }

        void touch(int p, IntList touched) {
            if (touched.size() == 0) {
                stampNo++;
            }
            if (stamp[p] != stampNo) {
                stamp[p] = stampNo;
                touched.add(p);
            }
        }
    }

    /** Max-heap of pair ids by (count at push time desc, left id asc, right id asc). */
    private static final class PairHeap {
        private final Pairs pairs;
        private int[] ids = new int[1 << 16];
        private long[] counts = new long[1 << 16];
        private int size;

        PairHeap(Pairs pairs) {
            this.pairs = pairs;
        }

        boolean isEmpty() {
            return size == 0;
        }

        long topCount() {
            return counts[0];
        }

        private boolean before(long ca, int pa, long cb, int pb) {
            if (ca != cb) {
                return ca > cb;
            }
            if (pairs.left[pa] != pairs.left[pb]) {
                return pairs.left[pa] < pairs.left[pb];
            }
            return pairs.right[pa] < pairs.right[pb];
        }

        void push(int p, long c) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(c, p, counts[parent], ids[parent])) {
                    break;
                }
                ids[i] = ids[parent];
                counts[i] = counts[parent];
                i = parent;
            }
            ids[i] = p;
            counts[i] = c;
        }

        int pop() {
            int top = ids[0];
            int lastId = ids[--size];
            long lastCount = counts[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && before(counts[child + 1], ids[child + 1], counts[child], ids[child])) {
                    child++;
                }
                if (!before(counts[child], ids[child], lastCount, lastId)) {
                    break;
                }
                ids[i] = ids[child];
                counts[i] = counts[child];
                i = child;
            }
            ids[i] = lastId;
            counts[i] = lastCount;
            return top;
        }
    }
}
