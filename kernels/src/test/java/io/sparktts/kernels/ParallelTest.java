package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    /** Every index of every loop is visited exactly once, whatever the size and split. */
    @Test
    void everyIndexRunsOnce() {
        for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
            for (int min : new int[] {1, 2, 50, 5000}) {
                for (int rep = 0; rep < 50; rep++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                    Parallel.forRange(n, min, (from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "n=" + n + " min=" + min + " index " + i);
                }
            }
        }
    }

    @Test
    void aChunkFailureIsRethrownToTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (from, to) -> {
            if (to == 100) throw new IllegalStateException("last chunk failed");
        }));
        assertEquals("last chunk failed", e.getMessage());
        int[] sum = new int[1];
        Parallel.forRange(10, 1, (from, to) -> {
            synchronized (sum) {
                sum[0] += to - from;
            }
        });
        assertEquals(10, sum[0], "the pool still works after a failure");
    }

    /** Nested and concurrent loops (two callers at once) complete with every index visited once. */
    @Test
    void nestedAndConcurrentLoopsComplete() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            Future<?>[] f = new Future<?>[3];
            for (int c = 0; c < 3; c++) {
                f[c] = callers.submit(() -> {
                    for (int rep = 0; rep < 200; rep++) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 8);
                        Parallel.forRange(64, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                int outer = i;
                                Parallel.forRange(8, 1, (a, b) -> {
                                    for (int j = a; j < b; j++) hits.incrementAndGet(outer * 8 + j);
                                });
                            }
                        });
                        for (int i = 0; i < 64 * 8; i++) assertEquals(1, hits.get(i));
                    }
                    return null;
                });
            }
            for (Future<?> x : f) x.get();
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void threadCountIsChecked() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals("threads 0 is outside 1.." + cores,
                assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0)).getMessage());
    }
}
