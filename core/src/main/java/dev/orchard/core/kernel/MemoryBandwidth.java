package dev.orchard.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Measures the machine's read bandwidth the way decode uses memory: every thread streams its share of a big buffer. */
public final class MemoryBandwidth {

    private MemoryBandwidth() {
    }

    /** Median GB/s (1e9 bytes per second) of {@code repeats} full reads of a {@code bytes} off-heap buffer. */
    public static double measureReadGBs(long bytes, int repeats) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1);
            long floats = bytes / 4;
            int chunks = Parallel.threads() * 64;
            double[] gbs = new double[repeats];
            float[] sink = new float[chunks];
            for (int r = 0; r < repeats + 1; r++) {
                long t0 = System.nanoTime();
                Parallel.forRange(chunks, 1, (start, end) -> {
                    for (int ch = start; ch < end; ch++) {
                        long from = floats * ch / chunks;
                        long to = floats * (ch + 1) / chunks;
                        sink[ch] = sum(buffer, from, to);
                    }
                });
                long elapsed = System.nanoTime() - t0;
                if (r > 0) { // the first pass warms the JIT and the page tables
                    gbs[r - 1] = bytes / (double) elapsed;
                }
            }
            Arrays.sort(gbs);
            return gbs[repeats / 2];
        }
    }

    private static float sum(MemorySegment s, long from, long to) {
        var species = FloatVector.SPECIES_PREFERRED;
        FloatVector a0 = FloatVector.zero(species);
        FloatVector a1 = FloatVector.zero(species);
        long i = from;
        int step = species.length();
        for (; i + 2L * step <= to; i += 2L * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(species, s, i * 4, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(species, s, (i + step) * 4, ByteOrder.LITTLE_ENDIAN));
        }
        float sum = FloatOps.sumLanes(a0.add(a1));
        for (; i < to; i++) {
            sum += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i * 4);
        }
        return sum;
    }
}
