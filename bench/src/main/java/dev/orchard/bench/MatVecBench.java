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

/**
 * One mat-vec of a SmolLM2-135M-shaped matrix, as decode runs it. Enough copies of the matrix (at least 256 MiB,
 * like the 30 layers of the model) are cycled through that the weights come from memory, not from cache, as
 * they do in a real forward pass. Bytes per second = weight bytes / time; compare with the read roofline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MatVecBench {

    @Param({"576x576", "192x576", "1536x576", "576x1536", "49152x576"})
    public String shape;

    @Param({"F32", "F16", "BF16", "Q8_0/float", "Q8_0/int8", "Q4_0/float", "Q4_0/int8"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    private WeightMatrix[] copies;
    private float[] x;
    private float[] out;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        int[] rc = Shapes.parse(shape);
        WeightMatrix first = Shapes.random(kernel, rc[0], rc[1], 1);
        int count = (int) Math.max(1, Math.min(64, (256L << 20) / first.byteSize()));
        copies = new WeightMatrix[count];
        copies[0] = first;
        for (int i = 1; i < count; i++) {
            copies[i] = Shapes.random(kernel, rc[0], rc[1], 1 + i);
        }
        x = Shapes.randomVector(rc[1], 99);
        out = new float[rc[0]];
    }

    @Benchmark
    public float[] matVec() {
        WeightMatrix m = copies[next];
        next = next + 1 == copies.length ? 0 : next + 1;
        m.matVec(x, out);
        return out;
    }
}
