package io.sparktts.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The one thread pool of the library, sized to the cores (or {@code -Dsparktts.threads=N}). Kernels split work
 * over ranges of rows, channels or time with {@link #forRange}; small work runs on the caller's thread.
 */
public final class Parallel {

    private static volatile int threads = Math.max(1, Integer.getInteger("sparktts.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));

    /** Body of a parallel loop: processes indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {}

    public static int threads() {
        return threads;
    }

    /** Sets how many threads kernels use (1 to the number of cores); benchmarks compare 1 and 2. */
    public static void setThreads(int n) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (n < 1 || n > Math.max(cores, 1)) {
            throw new IllegalArgumentException("threads " + n + " is outside 1.." + cores);
        }
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks, one per thread, when there are at least
     * {@code minPerThread} indices per chunk; otherwise on the caller's thread.
     */
    public static void forRange(int n, int minPerThread, RangeBody body) {
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, minPerThread)));
        if (parts <= 1 || ForkJoinTask.inForkJoinPool()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            tasks[p - 1] = POOL.submit(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            });
        }
        body.run(0, (int) ((long) n / parts));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
