package dev.orchard.core.kernel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void everyIndexRunsExactlyOnceInChunksAlignedToTheGrain() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 15, 16, 17, 100, 1000, 4099}) {
                for (int grain : new int[] {1, 4, 16}) {
                    for (int repeat = 0; repeat < 20; repeat++) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        Parallel.forRange(n, grain, (start, end) -> {
                            assertThat(start % grain).isZero();
                            for (int i = start; i < end; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < n; i++) {
                            assertThat(hits.get(i)).as("threads %d n %d index %d", threads, n, i).isEqualTo(1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void exceptionsReachTheCallerAndThePoolKeepsWorking() {
        Parallel.setThreads(2);
        assertThatThrownBy(() -> Parallel.forRange(100, 1, (start, end) -> {
            if (start <= 50 && 50 < end) {
                throw new IllegalStateException("boom");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        AtomicInteger sum = new AtomicInteger();
        Parallel.forRange(100, 1, (start, end) -> sum.addAndGet(end - start));
        assertThat(sum.get()).isEqualTo(100);
    }

    @Test
    void nestedAndConcurrentCallsRunToCompletion() throws Exception {
        Parallel.setThreads(2);
        AtomicInteger inner = new AtomicInteger();
        Parallel.forRange(8, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                Parallel.forRange(10, 1, (s, e) -> inner.addAndGet(e - s));
            }
        });
        assertThat(inner.get()).isEqualTo(80);

        AtomicInteger total = new AtomicInteger();
        Thread[] callers = new Thread[3];
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                for (int k = 0; k < 200; k++) {
                    Parallel.forRange(64, 4, (s, e) -> total.addAndGet(e - s));
                }
            });
            callers[t].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        assertThat(total.get()).isEqualTo(3 * 200 * 64);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Parallel.setThreads(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Parallel.forRange(10, 0, (s, e) -> { })).hasMessageContaining("grain");
    }
}
