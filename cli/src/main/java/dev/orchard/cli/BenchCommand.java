package dev.orchard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.kernel.MemoryBandwidth;
import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import dev.orchard.core.model.OpTimes;
import dev.orchard.core.model.RandomModels;
import dev.orchard.core.model.Session;
import dev.orchard.core.quant.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code orchard bench}: prefill and decode tokens/s, peak memory, and the decode roofline (bandwidth / bytes read
 * per token) side by side. Runs on any checkpoint or on a random-weight model of a preset shape.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prefill and decode speed beside the memory-bandwidth roofline.",
                "Examples: orchard bench --random smollm2-135m --encoding q4_0 --threads 2",
                "          orchard bench --model model.gguf",
                "          orchard bench --model model.gguf --threads 2 --repeat 5 --against llama.cpp/build/bin/llama-bench"})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--random", paramLabel = "PRESET",
            description = "Benchmark a random-weight model of this shape instead: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Presets.class)
    String random;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128", description = "Prompt length for prefill (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--gen-tokens", paramLabel = "N", defaultValue = "128",
            description = "Tokens to decode, from an empty context as llama-bench's tg test (default: ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3", description = "Measured runs; medians are reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "8",
            description = "Minimum seconds of prefill and decode before measuring, so the JIT has compiled the kernels; "
                    + "warm-up goes on until decode speed is steady, up to four times this (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--profile", description = "Also time each operation during decode and print where the time goes.")
    boolean profile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--against", paramLabel = "LLAMA_BENCH",
            description = "Also run this llama.cpp llama-bench binary on the same GGUF file (--model), with the same "
                    + "prompt and generation lengths and threads, one run after each of Orchard's, and print both side "
                    + "by side with the ratio. Never downloads or builds anything.")
    Path against;

    static final class Presets extends java.util.ArrayList<String> {
        Presets() {
            super(ModelConfig.presetNames());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || genTokens < 1 || repeat < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--prompt-tokens, --gen-tokens and --repeat must be at least 1, --warmup-seconds at least 0");
        }
        LlamaBench llama = null;
        if (against != null) {
            llama = new LlamaBench(against);
            if (random != null || modelOptions.model == null
                    || !modelOptions.model.getFileName().toString().endsWith(".gguf")) {
                throw new IllegalArgumentException("--against needs --model FILE.gguf, the file both engines run");
            }
            if (modelOptions.encoding != null) {
                throw new IllegalArgumentException("--against runs the file as stored: drop --encoding");
            }
        }
        this.llama = llama;
        modelOptions.applyThreads();
        LanguageModel lm;
        String name;
        if (random != null) {
            ModelConfig config = ModelConfig.preset(random);
            Encoding enc = modelOptions.encoding == null ? Encoding.Q8_0 : ModelOptions.parseEncoding(modelOptions.encoding);
            System.err.printf("building random %s model (%s)...%n", random, enc);
            lm = LanguageModel.of(RandomModels.create(config, enc, 1));
            name = random + " (random weights, " + enc + ")";
        } else {
            lm = modelOptions.load();
            name = String.valueOf(lm.path());
        }
        try (lm) {
            return run(lm, name);
        }
    }

    private LlamaBench llama;

    private int run(LanguageModel lm, String name) throws Exception {
        ModelConfig c = lm.config();
        int context = Math.min(c.maxPositionEmbeddings(), promptTokens + genTokens + 1);
        if (promptTokens + genTokens + 1 > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("prompt + generated tokens exceed the model's context of " + c.maxPositionEmbeddings());
        }
        SplittableRandom rnd = new SplittableRandom(3);
        int[] prompt = rnd.ints(promptTokens, 0, c.vocabSize()).toArray();

        // The JIT compiles the kernels only after thousands of calls, and on a machine whose cores all run the
        // benchmark the compiler threads get little time: rates kept rising for 10-20 s on 2 cores. Warm up for the
        // given time, then on until three decode rounds in a row agree within 5% (at most four times as long).
        System.err.printf("warming up (at least %d s, until decode speed is steady)...%n", warmupSeconds);
        long start = System.nanoTime();
        long minEnd = start + warmupSeconds * 1_000_000_000L;
        long maxEnd = start + 4L * warmupSeconds * 1_000_000_000L;
        double[] recent = new double[3];
        int rounds = 0;
        Session warm = lm.newSession(context);
        while (true) {
            warm.reset();
            warm.prefill(prompt);
            warm.reset();
            long w0 = System.nanoTime();
            for (int i = 0; i < genTokens; i++) {
                warm.decode(rnd.nextInt(c.vocabSize()));
            }
            long now = System.nanoTime();
            recent[rounds++ % recent.length] = genTokens * 1e9 / (now - w0);
            if (now >= maxEnd || (now >= minEnd && rounds >= recent.length && steady(recent))) {
                break;
            }
        }
        System.err.printf("warm after %.1f s (%d rounds)%n", (System.nanoTime() - start) / 1e9, rounds);

        double[] prefill = new double[repeat];
        double[] decode = new double[repeat];
        double[] llamaPrefill = new double[repeat];
        double[] llamaDecode = new double[repeat];
        double[] load = new double[repeat + 1];
        OpTimes times = profile ? new OpTimes() : null;
        // As llama-bench (whose figures the issue quotes): prefill ("pp") and decode ("tg") are separate tests,
        // each from an empty context, so decode times tokens at positions 0 .. genTokens - 1.
        Session s = lm.newSession(context);
        for (int r = 0; r < repeat; r++) {
            load[r] = LlamaBench.loadAverage();
            s.reset();
            long t0 = System.nanoTime();
            s.prefill(prompt);
            long t1 = System.nanoTime();
            s.reset();
            s.setProfile(times);
            int token = rnd.nextInt(c.vocabSize());
            long t2 = System.nanoTime();
            for (int i = 0; i < genTokens; i++) {
                s.decode(token);
                token = rnd.nextInt(c.vocabSize());
            }
            long t3 = System.nanoTime();
            s.setProfile(null);
            prefill[r] = promptTokens * 1e9 / (t1 - t0);
            decode[r] = genTokens * 1e9 / (t3 - t2);
            System.err.printf("run %d: prefill %.1f tok/s, decode %.1f tok/s (load average %.2f)%n", r + 1, prefill[r],
                    decode[r], load[r]);
            if (llama != null) {
                // Interleaved: one llama-bench invocation (its own warm-up run, then one measured repetition) after
                // each of our runs, so both see the same machine conditions.
                LlamaBench.Result other = llama.run(lm.path(), promptTokens, genTokens, Parallel.threads(), 1);
                llamaPrefill[r] = other.prefill();
                llamaDecode[r] = other.decode();
                System.err.printf("       llama.cpp: prefill %.1f tok/s, decode %.1f tok/s%n", other.prefill(),
                        other.decode());
            }
        }
        load[repeat] = LlamaBench.loadAverage();
        double prefillMedian = median(prefill);
        double decodeMedian = median(decode);

        System.err.println("measuring memory bandwidth...");
        double bandwidth = MemoryBandwidth.measureReadGBs(1L << 30, 5);
        long bytesPerToken = lm.transformer().weightBytesPerToken();
        double roofline = bandwidth * 1e9 / bytesPerToken;
        long peakRss = peakRssBytes();

        System.out.printf("model             %s%n", name);
        System.out.printf("shape             %.1f M parameters, %d layers, hidden %d, vocab %d%n", c.parameterCount() / 1e6,
                c.numHiddenLayers(), c.hiddenSize(), c.vocabSize());
        System.out.printf("threads           %d%n", Parallel.threads());
        System.out.printf("prefill           %8.1f tok/s  (%d-token prompt, median of %d)%n", prefillMedian, promptTokens, repeat);
        System.out.printf("decode            %8.1f tok/s  (%d tokens from an empty context, median of %d)%n", decodeMedian,
                genTokens, repeat);
        System.out.printf("bytes per token   %s (weights, and the float block scales of 8/4-bit kernels)%n",
                Sizes.bytes(bytesPerToken));
        System.out.printf("read bandwidth    %8.1f GB/s (measured, %d threads)%n", bandwidth, Parallel.threads());
        System.out.printf("decode roofline   %8.1f tok/s  -> achieved %.0f%% of roofline%n", roofline, 100 * decodeMedian / roofline);
        System.out.printf("peak memory       %s RSS%n", peakRss > 0 ? Sizes.bytes(peakRss) : "unknown");
        System.out.printf("load average      %.2f .. %.2f (1-minute, during the measured runs)%n", min(load), max(load));
        if (llama != null) {
            double lp = median(llamaPrefill);
            double ld = median(llamaDecode);
            System.out.printf("llama.cpp         %s, same file, %d threads, interleaved, medians of %d%n",
                    llama.binary(), Parallel.threads(), repeat);
            System.out.printf("  prefill         orchard %8.1f  llama.cpp %8.1f tok/s  ratio %.2f%n", prefillMedian, lp,
                    prefillMedian / lp);
            System.out.printf("  decode          orchard %8.1f  llama.cpp %8.1f tok/s  ratio %.2f%n", decodeMedian, ld,
                    decodeMedian / ld);
        }
        if (times != null) {
            long total = times.total();
            long tokens = (long) genTokens * repeat;
            System.out.println("decode profile    (per token)");
            for (Map.Entry<OpTimes.Op, Long> e : times.nanos().entrySet()) {
                System.out.printf("  %-18s %7.3f ms  %5.1f%%%n", e.getKey().name().toLowerCase(),
                        e.getValue() / 1e6 / tokens, 100.0 * e.getValue() / total);
            }
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("model", name);
            root.put("threads", Parallel.threads());
            root.put("prompt_tokens", promptTokens);
            root.put("gen_tokens", genTokens);
            root.put("prefill_tokens_per_s", prefillMedian);
            root.put("decode_tokens_per_s", decodeMedian);
            root.put("weight_bytes_per_token", bytesPerToken);
            root.put("read_bandwidth_gb_s", bandwidth);
            root.put("decode_roofline_tokens_per_s", roofline);
            root.put("roofline_fraction", decodeMedian / roofline);
            root.put("peak_rss_bytes", peakRss);
            putArray(root, "prefill_samples", prefill);
            putArray(root, "decode_samples", decode);
            putArray(root, "load_average", load);
            if (llama != null) {
                root.put("llama_bench", llama.binary().toString());
                root.put("llama_prefill_tokens_per_s", median(llamaPrefill));
                root.put("llama_decode_tokens_per_s", median(llamaDecode));
                putArray(root, "llama_prefill_samples", llamaPrefill);
                putArray(root, "llama_decode_samples", llamaDecode);
            }
            dev.orchard.core.format.AtomicFiles.writeString(json, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
        return 0;
    }

    private static void putArray(ObjectNode root, String key, double[] values) {
        var array = root.putArray(key);
        for (double v : values) {
            array.add(v);
        }
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** Whether the rates agree within 5% of the largest. */
    private static boolean steady(double[] rates) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double r : rates) {
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return max > 0 && (max - min) / max < 0.05;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Peak resident set size from /proc (Linux), or -1. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception ignored) {
            // not Linux: report unknown
        }
        return -1;
    }
}
