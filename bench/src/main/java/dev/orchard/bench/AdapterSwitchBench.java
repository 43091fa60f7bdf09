package dev.orchard.bench;

import dev.orchard.core.adapter.AdapterCache;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.Session;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Switching the active adapter between requests: a cached adapter is looked up and set on the session; the base
 * weights are not touched. Run from the repository root: {@code scripts/jmh.sh AdapterSwitch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdapterSwitchBench {

    @Param({"testdata/golden/gqa-tied"})
    public String base;

    private LanguageModel lm;
    private AdapterCache cache;
    private Session session;
    private int turn;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        lm = LanguageModel.load(Path.of(base));
        cache = new AdapterCache(lm.config(), 64L << 20);
        cache.register("a", Path.of(base, "adapter"));
        cache.register("b", Path.of(base, "adapter"));
        cache.get("a");
        cache.get("b");
        session = lm.newSession(64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lm.close();
    }

    /** One request's adapter switch: cache lookup, set on the session, reset the sequence. */
    @Benchmark
    public Object switchCachedAdapter() throws IOException {
        String name = (turn++ & 1) == 0 ? "a" : "b";
        session.reset();
        session.setAdapter(cache.get(name));
        return session;
    }
}
