package dev.orchard.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    private static final String[] WORDS = {"the", "cat", "sat", "on", "mat", "dog", "ran", "far", "and", "then",
        "they", "played", "happily", "ever", "after", "Lily", "Tom", "said", "\"Hello!\"", "1234", "42", "über",
        "naïve", "日本語", "🙂", "x", "xx", "xxx", "'s", "don't", "\n", "\n\n", "  "};

    static List<String> corpus(int docs, long seed) {
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            StringBuilder sb = new StringBuilder();
            int n = 5 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(WORDS[Math.min(WORDS.length - 1, (int) Math.abs(rnd.nextGaussian() * 8))]);
                sb.append(rnd.nextInt(6) == 0 ? ". " : " ");
            }
            out.add(sb.toString());
        }
        return out;
    }

    static TextCorpus of(List<String> docs) {
        return new TextCorpus() {
            @Override
            public void forEach(Consumer<String> sink) {
                docs.forEach(sink);
            }

            @Override
            public long sizeBytes() {
                return docs.stream().mapToLong(String::length).sum();
            }
        };
    }

    /** The textbook algorithm: recount every pair after every merge. Slow, obviously right. */
    static List<int[]> naiveMerges(List<String> docs, int specials, int merges, int minFrequency) {
        Map<String, Integer> counts = new HashMap<>();
        Scanner scanner = Scanner.regex(Regexes.compile(Regexes.QWEN2, "test"));
        for (String doc : docs) {
            scanner.scan(doc, (s, e) -> counts.merge(doc.substring(s, e), 1, Integer::sum));
        }
        List<List<Integer>> words = new ArrayList<>();
        List<Integer> freq = new ArrayList<>();
        counts.forEach((piece, c) -> {
            List<Integer> w = new ArrayList<>();
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                w.add(specials + (b & 0xFF));
            }
            words.add(w);
            freq.add(c);
        });
        List<int[]> out = new ArrayList<>();
        int next = specials + 256;
        for (int m = 0; m < merges; m++) {
            Map<List<Integer>, Long> pairs = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                List<Integer> w = words.get(i);
                for (int k = 0; k + 1 < w.size(); k++) {
                    pairs.merge(List.of(w.get(k), w.get(k + 1)), (long) freq.get(i), Long::sum);
                }
            }
            List<Integer> best = null;
            long bestCount = 0;
            for (Map.Entry<List<Integer>, Long> e : pairs.entrySet()) {
                List<Integer> p = e.getKey();
                long c = e.getValue();
                if (best == null || c > bestCount || (c == bestCount && (p.get(0) < best.get(0)
                        || (p.get(0).equals(best.get(0)) && p.get(1) < best.get(1))))) {
                    best = p;
                    bestCount = c;
                }
            }
            if (best == null || bestCount < minFrequency) {
                break;
            }
            out.add(new int[] {best.get(0), best.get(1)});
            int id = next++;
            for (List<Integer> w : words) {
                for (int k = 0; k + 1 < w.size(); k++) {
                    if (w.get(k).equals(best.get(0)) && w.get(k + 1).equals(best.get(1))) {
                        w.set(k, id);
                        w.remove(k + 1);
                    }
                }
            }
        }
        return out;
    }

    static List<int[]> merges(BpeTokenizer t) {
        List<int[]> list = new ArrayList<>();
        t.model().merges().forEach((l, r, rank, merged) -> list.add(new int[] {rank, l, r}));
        list.sort((x, y) -> Integer.compare(x[0], y[0]));
        return list.stream().map(x -> new int[] {x[1], x[2]}).toList();
    }

    @Test
    void incrementalTrainerMakesTheSameMergesAsTheNaiveOne() throws Exception {
        List<String> docs = corpus(400, 1);
        BpeTrainer.Options options = BpeTrainer.Options.defaults(7 + 256 + 150).withThreads(2);
        BpeTrainer.Result result = BpeTrainer.train(of(docs), options, BpeTrainer.Progress.none());
        List<int[]> expected = naiveMerges(docs, 7, 150, 2);
        List<int[]> got = merges(result.tokenizer());
        assertThat(got).hasSize(expected.size());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).as("merge %d", i).containsExactly(expected.get(i));
        }
        assertThat(result.documents()).isEqualTo(400);
    }

    @Test
    void trainedTokenizerHasBytesSpecialsAndRoundTrips(@TempDir Path dir) throws Exception {
        List<String> docs = corpus(300, 2);
        List<String[]> progress = new ArrayList<>();
        BpeTrainer.Result result = BpeTrainer.train(of(docs), BpeTrainer.Options.defaults(340).withMinFrequency(1),
                (phase, done, total) -> progress.add(new String[] {phase, String.valueOf(done), String.valueOf(total)}));
        BpeTokenizer t = result.tokenizer();
        assertThat(t.vocabSize()).isEqualTo(340);
        assertThat(t.specialTokens()).containsExactly("<|pad|>", "<|bos|>", "<|eos|>", "<|system|>", "<|user|>",
                "<|assistant|>", "<|end|>");
        assertThat(t.bosId()).hasValue(1);
        assertThat(t.eosId()).hasValue(2);
        assertThat(t.padId()).hasValue(0);
        for (int b = 0; b < 256; b++) {
            assertThat(t.tokenBytes(7 + b)).containsExactly((byte) b);
        }
        assertThat(progress).anyMatch(p -> p[0].equals("counting")).anyMatch(p -> p[0].equals("merging") && p[1].equals("340"));
        // Digits split one by one; the chat markers are single tokens; BOS is added.
        assertThat(t.encode("1234")).containsExactly(7 + '1', 7 + '2', 7 + '3', 7 + '4');
        assertThat(t.encode("<|user|>\nhi<|end|>", true)).startsWith(1, 4).endsWith(6);
        // Text the tokenizer learnt compresses.
        String sample = docs.get(0);
        assertThat(t.encode(sample).length).isLessThan(sample.getBytes(StandardCharsets.UTF_8).length / 2);
        Random rnd = new Random(9);
        for (int i = 0; i < 2000; i++) {
            String text = RoundTripTest.randomText(rnd, 40);
            assertThat(t.decode(t.encode(text, false, false))).isEqualTo(text);
        }
        // Saved as a HF directory and loaded back: same ids.
        Tokenizers.save(t, dir, ChatTemplate.orchardDefault());
        BpeTokenizer loaded = Tokenizers.load(dir);
        for (String doc : docs.subList(0, 50)) {
            assertThat(loaded.encode(doc, true)).containsExactly(t.encode(doc, true));
        }
        assertThat(loaded.toJson()).isEqualTo(t.toJson());
        assertThat(Tokenizers.chatTemplate(dir).orElseThrow().render(List.of(ChatMessage.user("hi")), true))
                .isEqualTo("<|bos|><|user|>\nhi<|end|>\n<|assistant|>\n");
        String json = Files.readString(dir.resolve("tokenizer.json"));
        assertThat(json).contains("\"type\" : \"Split\"").contains("\"type\" : \"ByteLevel\"")
                .contains("\"type\" : \"TemplateProcessing\"");
    }

    @Test
    void readsJsonLinesAndPlainText(@TempDir Path dir) throws Exception {
        Path jsonl = dir.resolve("c.jsonl");
        Files.writeString(jsonl, "{\"text\": \"ab ab\", \"source\": \"x\"}\n\n{\"text\": \"abc\"}\n");
        List<String> docs = new ArrayList<>();
        TextCorpora.open(jsonl, "text").forEach(docs::add);
        assertThat(docs).containsExactly("ab ab", "abc");
        Path txt = dir.resolve("c.txt");
        Files.writeString(txt, "line one\nline two\n");
        List<String> lines = new ArrayList<>();
        TextCorpora.open(txt, "text").forEach(lines::add);
        assertThat(String.join("", lines)).isEqualTo("line one\nline two\n");
        Files.writeString(jsonl, "{\"body\": \"x\"}\n");
        assertThatThrownBy(() -> TextCorpora.open(jsonl, "text").forEach(d -> { }))
                .hasMessageContaining("line 1 has no string field \"text\"");
        assertThatThrownBy(() -> TextCorpora.open(dir.resolve("c.parquet"), "text"))
                .hasMessageContaining("c.parquet");
        Files.writeString(dir.resolve("d.parquet"), "PAR1");
        assertThatThrownBy(() -> TextCorpora.open(dir.resolve("d.parquet"), "text"))
                .hasMessageContaining("data module");
    }

    @Test
    void rejectsBadOptions() {
        assertThatThrownBy(() -> BpeTrainer.Options.defaults(100)).hasMessageContaining("below 263");
        assertThatThrownBy(() -> BpeTrainer.Options.defaults(1000).withSpecialTokens(List.of("<a>"), "<b>", null, null))
                .hasMessageContaining("\"<b>\" must be one of the special tokens");
        assertThatThrownBy(() -> BpeTrainer.Options.defaults(1000).withSpecialTokens(List.of("<a>", "<a>"), null, null, null))
                .hasMessageContaining("distinct");
    }

    @Test
    void stopsWhenNoPairIsFrequentEnough() throws Exception {
        BpeTrainer.Result r = BpeTrainer.train(of(List.of("abcd")), BpeTrainer.Options.defaults(1000),
                BpeTrainer.Progress.none());
        assertThat(r.merges()).isZero();
        assertThat(r.tokenizer().vocabSize()).isEqualTo(263);
        BpeTrainer.Result once = BpeTrainer.train(of(List.of("abcd")), BpeTrainer.Options.defaults(1000).withMinFrequency(1),
                BpeTrainer.Progress.none());
        assertThat(once.merges()).isEqualTo(3);
        assertThat(once.tokenizer().encode("abcd")).hasSize(1);
        assertThat(Arrays.stream(once.tokenizer().encode("abcd")).boxed().toList()).containsExactly(265);
    }
}
