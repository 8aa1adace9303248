package io.sparktts.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread pool of the library: one worker per core besides the caller (or {@code -Dsparktts.threads=N}).
 * Kernels split work over ranges of rows, channels or time with {@link #forRange}; small work runs on the caller's
 * thread. A decoded token makes over a hundred parallel products of about 50-100 microseconds each, so the
 * hand-off must cost far less than that: workers spin for a short while after each task (a park/unpark round trip
 * takes tens of microseconds) and only then park, and the caller works too, claiming chunks of the range like the
 * workers, so it never waits for a worker that has not started. One caller at a time uses the workers; a concurrent
 * or nested call runs on its own thread.
 */
public final class Parallel {

    /** Body of a parallel loop: processes indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Chunks per thread: enough for the threads to balance uneven progress, few enough to cost nothing. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** How long an idle worker spins before parking. */
    private static final long SPIN_NANOS = Long.getLong("sparktts.spinMicros", 200) * 1000;
    private static final long YIELD_AFTER_NANOS = 20_000;
    private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile int threads = Math.max(1, Math.min(CORES, Integer.getInteger("sparktts.threads", CORES)));

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final Worker[] WORKERS = new Worker[CORES - 1];
    /** The task before the first one; a worker starting late still sees every task published after it. */
    private static final Task NONE = new Task(null, 0, 1, 0);
    /** The latest task; workers take their chunk of each new one. */
    private static volatile Task current = NONE;

    /**
     * One parallel loop, cut into more chunks than threads; every thread (the caller included) claims chunks until
     * none are left, so a worker that starts late, or is descheduled on a busy machine, delays nothing.
     */
    private static final class Task {
        final RangeBody body;
        final int size;
        final int parts;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Task(RangeBody body, int size, int parts, int chunks) {
            this.body = body;
            this.size = size;
            this.parts = parts;
            this.chunks = chunks;
        }

        /** Runs chunks until none are left to claim. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run((int) ((long) size * c / chunks), (int) ((long) size * (c + 1) / chunks));
                } catch (Throwable t) {
                    failure = t;
                }
                done.incrementAndGet();
            }
        }
    }

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker(i + 1);
            WORKERS[i].start();
        }
    }

    private Parallel() {}

    public static int threads() {
        return threads;
    }

    /** Sets how many threads kernels use (1 to the number of cores); benchmarks compare 1 and 2. */
    public static void setThreads(int n) {
        if (n < 1 || n > CORES) {
            throw new IllegalArgumentException("threads " + n + " is outside 1.." + CORES);
        }
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks, one per thread, when there are at least
     * {@code minPerThread} indices per chunk; otherwise on the caller's thread. Returns when every chunk is done;
     * an exception thrown by a chunk is rethrown here.
     */
    public static void forRange(int n, int minPerThread, RangeBody body) {
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, minPerThread)));
        if (parts <= 1 || Thread.currentThread() instanceof Worker || !BUSY.compareAndSet(false, true)) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        try {
            Task task = new Task(body, n, parts, Math.min(n, parts * CHUNKS_PER_THREAD));
            current = task;
            for (int i = 0; i < parts - 1; i++) {
                if (WORKERS[i].parked) {
                    LockSupport.unpark(WORKERS[i]);
                }
            }
            task.work();
            long waitStart = System.nanoTime();
            while (task.done.get() != task.chunks) {
                politeSpin(waitStart);
            }
            Throwable failure = task.failure;
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        } finally {
            BUSY.set(false);
        }
    }

    /**
     * One step of a busy wait: a pause instruction at first, then a yield, so that on a machine with more runnable
     * threads than cores the thread being waited for gets the core.
     */
    private static void politeSpin(long since) {
        if (System.nanoTime() - since < YIELD_AFTER_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Waits for tasks (spinning, then parked) and helps with each. */
    private static final class Worker extends Thread {
        private final int part;
        volatile boolean parked;

        Worker(int part) {
            super("sparktts-kernel-" + part);
            this.part = part;
            setDaemon(true);
        }

        @Override
        public void run() {
            Task seen = NONE;
            while (true) {
                long spinStart = System.nanoTime();
                while (current == seen) {
                    if (System.nanoTime() - spinStart < SPIN_NANOS) {
                        politeSpin(spinStart);
                    } else {
                        parked = true;
                        if (current == seen) {
                            LockSupport.park(this);
                        }
                        parked = false;
                        spinStart = System.nanoTime();
                    }
                }
                seen = current;
                if (part < seen.parts) {
                    seen.work();
                }
            }
        }
    }
}
