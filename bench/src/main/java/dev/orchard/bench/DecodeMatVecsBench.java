package dev.orchard.bench;

import dev.orchard.core.kernel.Parallel;
import dev.orchard.core.quant.WeightMatrices;
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
 * Every mat-vec of one decode step of a random SmolLM2-135M-shaped model, in forward order: 30 layers of q, k,
 * v, o, gate, up, down, then the tied 49152 x 576 output projection. Attention, norms and the rest are left
 * out, so this is the matrix part of the per-token time (an upper bound on tokens/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class DecodeMatVecsBench {

    @Param({"F16", "Q8_0", "Q4_0"})
    public String kernel;

    @Param({"2"})
    public int threads;

    private WeightMatrix[] layers;
    private WeightMatrix output;
    private float[] hidden;
    private float[] ffn;
    private float[] outHidden;
    private float[] outFfn;
    private float[] logits;
    private final float[] q = new float[Shapes.HIDDEN];
    private final float[] k = new float[Shapes.KV];
    private final float[] v = new float[Shapes.KV];
    private final float[] gate = new float[Shapes.FFN];
    private final float[] up = new float[Shapes.FFN];

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        layers = new WeightMatrix[Shapes.LAYERS * Shapes.LAYER.length];
        for (int i = 0; i < layers.length; i++) {
            int[] rc = Shapes.LAYER[i % Shapes.LAYER.length];
            layers[i] = Shapes.random(kernel, rc[0], rc[1], i);
        }
        output = Shapes.random(kernel, Shapes.VOCAB, Shapes.HIDDEN, -1);
        hidden = Shapes.randomVector(Shapes.HIDDEN, 1);
        ffn = Shapes.randomVector(Shapes.FFN, 2);
        outHidden = new float[Shapes.FFN];
        outFfn = new float[Shapes.HIDDEN];
        logits = new float[Shapes.VOCAB];
    }

    /** Weight bytes one step reads. */
    public long bytesPerToken() {
        long sum = output.byteSize();
        for (WeightMatrix m : layers) {
            sum += m.byteSize();
        }
        return sum;
    }

    /** Each matrix on its own: seven parallel jobs per layer. */
    @Benchmark
    public float[] token() {
        for (WeightMatrix m : layers) {
            if (m.cols() == Shapes.HIDDEN) {
                m.matVec(hidden, outHidden);
            } else {
                m.matVec(ffn, outFfn);
            }
        }
        output.matVec(hidden, logits);
        return logits;
    }

    /** As the model should call them: q, k, v fused and gate, up fused, so four parallel jobs per layer. */
    @Benchmark
    public float[] tokenFused() {
        float[][] qkvOut = {q, k, v};
        float[][] gateUpOut = {gate, up};
        for (int l = 0; l < Shapes.LAYERS; l++) {
            int at = l * Shapes.LAYER.length;
            WeightMatrices.matVec(hidden, new WeightMatrix[] {layers[at], layers[at + 1], layers[at + 2]}, qkvOut);
            layers[at + 3].matVec(q, outHidden);
            WeightMatrices.matVec(hidden, new WeightMatrix[] {layers[at + 4], layers[at + 5]}, gateUpOut);
            layers[at + 6].matVec(ffn, outFfn);
        }
        output.matVec(hidden, logits);
        return logits;
    }
}
