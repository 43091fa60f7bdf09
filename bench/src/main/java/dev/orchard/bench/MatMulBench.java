package dev.orchard.bench;

import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.quant.WeightMatrix;
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

import java.util.concurrent.TimeUnit;

/** Batched prefill: one mat-mul of a 135M-shaped matrix with n input vectors. Divide by n for the per-token cost. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MatMulBench {

    @Param({"576x576", "192x576", "1536x576", "576x1536"})
    public String shape;

    @Param({"F16", "Q8_0", "Q4_0"})
    public String kernel;

    @Param({"32", "128"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private WeightMatrix m;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        int[] rc = Shapes.parse(shape);
        m = Shapes.random(kernel, rc[0], rc[1], 1);
        x = Shapes.randomVector(n * rc[1], 99);
        out = new float[n * rc[0]];
    }

    @Benchmark
    public float[] matMul() {
        m.matMul(x, n, out);
        return out;
    }
}
