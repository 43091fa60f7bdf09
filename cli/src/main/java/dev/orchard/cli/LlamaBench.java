package dev.orchard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the user's own llama.cpp {@code llama-bench} binary on a GGUF file, for {@code orchard bench --against}:
 * the same file, prompt length, generation length and thread count as Orchard's own runs. Nothing is downloaded
 * or built; the binary is whatever the user points at.
 */
final class LlamaBench {

    /** Prefill ({@code pp}) and decode ({@code tg}) tokens/s of one invocation: the median of its samples. */
    record Result(double prefill, double decode) {
    }

    private final Path binary;

    LlamaBench(Path binary) {
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new IllegalArgumentException("--against: " + binary + " is not an executable file (give the path "
                    + "of llama.cpp's llama-bench)");
        }
        this.binary = binary;
    }

    Path binary() {
        return binary;
    }

    /** The command line of one invocation ({@code -o json}, so the output can be parsed). */
    List<String> command(Path model, int promptTokens, int genTokens, int threads, int repetitions) {
        return List.of(binary.toString(), "-m", model.toString(), "-p", String.valueOf(promptTokens), "-n",
                String.valueOf(genTokens), "-r", String.valueOf(repetitions), "-t", String.valueOf(threads),
                "-o", "json");
    }

    /** Runs llama-bench once and parses its result. */
    Result run(Path model, int promptTokens, int genTokens, int threads, int repetitions)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("orchard-llama-bench", ".log");
        try {
            Process p = new ProcessBuilder(command(model, promptTokens, genTokens, threads, repetitions))
                    .redirectError(log.toFile())
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
                throw new IllegalStateException(binary + " failed (exit " + rc + ") on " + model + ": " + tail);
            }
            return parse(out, promptTokens, genTokens);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Reads llama-bench's {@code -o json} output: an array with one object per test, {@code n_prompt}/{@code
     * n_gen} naming the test and {@code samples_ts} its per-repetition tokens/s.
     */
    static Result parse(String json, int promptTokens, int genTokens) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("llama-bench printed no JSON result: " + e.getMessage());
        }
        double prefill = Double.NaN;
        double decode = Double.NaN;
        if (root != null && root.isArray()) {
            for (JsonNode test : root) {
                int nPrompt = test.path("n_prompt").asInt(-1);
                int nGen = test.path("n_gen").asInt(-1);
                double rate = medianOfSamples(test);
                if (nPrompt == promptTokens && nGen == 0) {
                    prefill = rate;
                } else if (nPrompt == 0 && nGen == genTokens) {
                    decode = rate;
                }
            }
        }
        if (Double.isNaN(prefill) || Double.isNaN(decode)) {
            throw new IllegalStateException("llama-bench output has no pp" + promptTokens + " and tg" + genTokens
                    + " results");
        }
        return new Result(prefill, decode);
    }

    private static double medianOfSamples(JsonNode test) {
        List<Double> samples = new ArrayList<>();
        for (JsonNode s : test.path("samples_ts")) {
            samples.add(s.asDouble());
        }
        if (samples.isEmpty()) {
            return test.path("avg_ts").asDouble(Double.NaN);
        }
        return BenchCommand.median(samples.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The 1-minute load average from /proc/loadavg (Linux), or NaN. */
    static double loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return Double.parseDouble(fields[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
