package dev.orchard.bench;

import dev.orchard.core.quant.Encoding;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the kernel benchmarks with a short JMH configuration and prints, per encoding and thread count, the
 * achieved weight-read bandwidth of each SmolLM2-135M mat-vec beside the read roofline, the per-token decode
 * time those add up to (30 layers of q, k, v, o, gate, up, down plus the output projection), and the prefill
 * mat-mul cost per token. Usage: {@code scripts/kernel-report.sh [kernels] [threads] [extra JVM flags...]}, e.g.
 * {@code scripts/kernel-report.sh Q4_0,Q8_0 1,2 -XX:UseAVX=2}.
 */
public final class KernelReport {

    private static final String[] SHAPES = {"576x576", "192x576", "1536x576", "576x1536", "49152x576"};
    /** How often each shape runs per token: q and o (576x576), k and v (192x576), gate and up, down; output. */
    private static final int[] PER_TOKEN = {2 * Shapes.LAYERS, 2 * Shapes.LAYERS, 2 * Shapes.LAYERS, Shapes.LAYERS, 1};

    /**
     * Which percentile of the sampled call times the figures use. The machines are shared: the median includes
     * time the threads spent preempted by other jobs, a low percentile is closer to what the kernel does on a
     * quiet machine. Both are printed for mat-vecs; set with -Dorchard.percentile.
     */
    private static final double PERCENTILE = Double.parseDouble(System.getProperty("orchard.percentile", "10"));

    private KernelReport() {
    }

    public static void main(String[] args) throws RunnerException {
        String[] kernels = (args.length > 0 ? args[0] : "F16,BF16,Q8_0,Q4_0").split(",");
        String[] threads = (args.length > 1 ? args[1] : "1,2").split(",");
        String[] jvmFlags = new String[Math.max(0, args.length - 2) + 3];
        jvmFlags[0] = "--add-modules";
        jvmFlags[1] = "jdk.incubator.vector";
        jvmFlags[2] = "-Xmx3g";
        for (int i = 2; i < args.length; i++) {
            jvmFlags[i + 1] = args[i];
        }

        Collection<RunResult> matVec = new Runner(options(MatVecBench.class, jvmFlags)
                .param("kernel", kernels).param("threads", threads).param("shape", SHAPES).build()).run();
        Collection<RunResult> matMul = new Runner(options(MatMulBench.class, jvmFlags)
                .param("kernel", kernels).param("threads", threads).param("n", "32", "128").build()).run();

        System.out.println();
        System.out.println("SmolLM2-135M-shaped kernels (short JMH runs: 1 fork, 3x1s warm-up, 5x1s measured).");
        System.out.printf(Locale.ROOT, "Times are the %.0fth percentile of sampled calls unless marked median.%n",
                PERCENTILE);
        System.out.printf(Locale.ROOT, "Roofline (reference machines): %.0f GB/s with 1 thread, %.0f GB/s with 2.%n",
                Shapes.ROOFLINE_1T / 1e9, Shapes.ROOFLINE_2T / 1e9);
        for (String kernel : kernels) {
            Encoding encoding = Shapes.encoding(kernel);
            for (String t : threads) {
                double roofline = t.equals("1") ? Shapes.ROOFLINE_1T : Shapes.ROOFLINE_2T;
                System.out.printf(Locale.ROOT, "%n%s (%s), %s thread(s): mat-vec%n", kernel, Shapes.path(kernel), t);
                double tokenMicros = 0;
                long tokenBytes = 0;
                for (int s = 0; s < SHAPES.length; s++) {
                    double micros = score(matVec, kernel, t, "shape", SHAPES[s]);
                    int[] rc = Shapes.parse(SHAPES[s]);
                    long bytes = rc[0] * encoding.bytesFor(rc[1]);
                    double gbs = bytes / (micros * 1e-6) / 1e9;
                    double median = score(50, matVec, kernel, t, "shape", SHAPES[s]);
                    System.out.printf(Locale.ROOT,
                            "  %-10s %9.1f us  %6.1f GB/s  (%3.0f%% of roofline)   median %9.1f us  %6.1f GB/s%n",
                            SHAPES[s], micros, gbs, 100 * gbs * 1e9 / roofline, median,
                            bytes / (median * 1e-6) / 1e9);
                    tokenMicros += micros * PER_TOKEN[s];
                    tokenBytes += bytes * PER_TOKEN[s];
                }
                System.out.printf(Locale.ROOT,
                        "  decode estimate: %.2f ms/token (mat-vecs only) = %.0f tokens/s; %.1f GB/s average, "
                                + "roofline %.0f tokens/s%n",
                        tokenMicros / 1000, 1e6 / tokenMicros, tokenBytes / (tokenMicros * 1e-6) / 1e9,
                        roofline / tokenBytes);
                // One layer = q, k, v, o, gate, up, down: the first four shapes with their per-layer counts.
                double layerVec = 0;
                for (int s = 0; s < 4; s++) {
                    layerVec += score(matVec, kernel, t, "shape", SHAPES[s]) * PER_TOKEN[s] / Shapes.LAYERS;
                }
                for (String n : new String[] {"32", "128"}) {
                    double layerMul = 0;
                    for (int s = 0; s < 4; s++) {
                        layerMul += score(matMul, kernel, t, "n", n, "shape", SHAPES[s]) / Integer.parseInt(n)
                                * PER_TOKEN[s] / Shapes.LAYERS;
                    }
                    System.out.printf(Locale.ROOT,
                            "  prefill mat-mul n=%-3s: %6.1f us/token/layer vs mat-vec %6.1f (%.1fx less)%n",
                            n, layerMul, layerVec, layerVec / layerMul);
                }
            }
        }
    }

    private static ChainedOptionsBuilder options(Class<?> bench, String[] jvmFlags) {
        return new OptionsBuilder().include(bench.getName()).forks(1).mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvmFlags);
    }

    /** The score (us/op) of the run with the given kernel, threads and further param name/value pairs. */
    private static double score(Collection<RunResult> results, String kernel, String threads, String... params) {
        return score(PERCENTILE, results, kernel, threads, params);
    }

    private static double score(double percentile, Collection<RunResult> results, String kernel, String threads,
                                String... params) {
        outer:
        for (RunResult r : results) {
            var p = r.getParams();
            if (!p.getParam("kernel").equals(kernel) || !p.getParam("threads").equals(threads)) {
                continue;
            }
            for (int i = 0; i < params.length; i += 2) {
                if (!params[i + 1].equals(p.getParam(params[i]))) {
                    continue outer;
                }
            }
            var stats = r.getPrimaryResult().getStatistics();
            return stats.getPercentile(percentile);
        }
        throw new IllegalStateException("no result for " + kernel + " " + threads + " " + String.join(" ", params));
    }
}
