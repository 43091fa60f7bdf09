package dev.orchard.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time spent per kind of operation in a {@link Session}, collected when a profile is attached. */
public final class OpTimes {

    /** Where time goes: the seven projections, attention, the output projection, and everything else. */
    public enum Op { Q_PROJ, K_PROJ, V_PROJ, O_PROJ, GATE_PROJ, UP_PROJ, DOWN_PROJ, ATTENTION, LM_HEAD, NORMS_ROPE_OTHER }

    private final long[] nanos = new long[Op.values().length];

    void add(Op op, long elapsed) {
        nanos[op.ordinal()] += elapsed;
    }

    void add(Projection p, long elapsed) {
        nanos[p.ordinal()] += elapsed; // Op lists the projections first, in Projection order
    }

    public void reset() {
        java.util.Arrays.fill(nanos, 0);
    }

    public long total() {
        long t = 0;
        for (long n : nanos) {
            t += n;
        }
        return t;
    }

    /** Nanoseconds per operation, in a stable order. */
    public Map<Op, Long> nanos() {
        Map<Op, Long> out = new LinkedHashMap<>();
        for (Op op : Op.values()) {
            out.put(op, nanos[op.ordinal()]);
        }
        return out;
    }
}
