package dev.orchard.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.orchard.core.tokenizer.BpeTokenizer;
import dev.orchard.core.tokenizer.Tokenizers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode speed on a whole text, Orchard's BPE beside jtokkit on the same cl100k_base vocabulary (and Orchard on the
 * GPT-2 and Llama SentencePiece vocabularies). MB/s = text MB (printed at setup) / seconds per op.
 * The "NoCache" variants switch off Orchard's pre-token cache (-Dorchard.tokenizer.cache=false).
 * Run: scripts/jmh.sh TokenizerBench -p text=wikitext
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenizerBench {

    @Param({"wikitext", "tinystories"})
    public String text;

    private String content;
    private BpeTokenizer orchardCl100k;
    private BpeTokenizer orchardGpt2;
    private BpeTokenizer orchardLlamaSpm;
    private Encoding jtokkit;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        content = BenchText.load(text);
        orchardCl100k = Cl100k.load();
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        orchardGpt2 = Tokenizers.load(BenchText.dataDir().resolve("tokenizer/ggml-vocab-gpt-2.gguf"));
        orchardLlamaSpm = Tokenizers.load(BenchText.dataDir().resolve("tokenizer/ggml-vocab-llama-spm.gguf"));
        int[] ours = orchardCl100k.encode(content, false, false);
        int[] theirs = jtokkit.encodeOrdinary(content).toArray();
        if (!Arrays.equals(ours, theirs)) {
            throw new IllegalStateException("Orchard and jtokkit disagree on cl100k_base ids for " + text);
        }
        System.out.printf("%n%s: %.3f MB UTF-8, %d cl100k tokens%n", text,
                content.getBytes(StandardCharsets.UTF_8).length / 1e6, ours.length);
    }

    @Benchmark
    public int[] orchardCl100k() {
        return orchardCl100k.encode(content, false, false);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dorchard.tokenizer.cache=false")
    public int[] orchardCl100kNoCache() {
        return orchardCl100k.encode(content, false, false);
    }

    @Benchmark
    public int jtokkitCl100k() {
        return jtokkit.encodeOrdinary(content).size();
    }

    @Benchmark
    public int[] orchardGpt2() {
        return orchardGpt2.encode(content, false, false);
    }

    @Benchmark
    public int[] orchardLlamaSpm() {
        return orchardLlamaSpm.encode(content, false, false);
    }
}
