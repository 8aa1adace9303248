package io.sparktts.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time used by the JVM's threads, so benchmarks on a shared machine can report work per CPU-second (the
 * process-wide counter only has clock-tick resolution; per-thread counters have nanoseconds).
 */
final class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTime() {}

    /** Nanoseconds of CPU used so far by all live threads. */
    static long process() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}
