package io.sparktts.bench;

import io.sparktts.kernels.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measured memory read bandwidth: the shared thread pool sums a buffer far larger than the caches with float
 * vector loads (eight independent accumulators per thread, so the loads are never latency-bound on the adds);
 * best of several passes. The same access pattern as a matrix-vector product over the weights.
 * <p>usage: {@code bin/bench tool BandwidthProbe [MIB=1024] [THREADS=1,2]}
 */
public final class BandwidthProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private BandwidthProbe() {}

    public static void main(String[] args) {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        String threads = args.length > 1 ? args[1] : "1,2";
        for (String t : threads.split(",")) {
            int n = Integer.parseInt(t.trim());
            System.out.printf("read bandwidth, %d thread(s): %.1f GB/s%n", n, measure(mib << 20, n, 8));
        }
    }

    /** Best GB/s (1e9 bytes per second) over {@code passes} reads of {@code bytes} with {@code threads} threads. */
    static double measure(long bytes, int threads, int passes) {
        int previous = Parallel.threads();
        Parallel.setThreads(threads);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(bytes, 4096);
            ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < bytes / 4; i += 1024) {
                m.setAtIndex(f, i, 1f);
            }
            MemorySegment shared = m;
            int blocks = (int) (bytes / (1 << 20));
            float[] sink = new float[blocks];
            double best = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                Parallel.forRange(blocks, 1, (from, to) -> {
                    for (int b = from; b < to; b++) {
                        sink[b] = sum(shared, (long) b << 20, (long) (b + 1) << 20);
                    }
                });
                best = Math.max(best, (double) blocks * (1 << 20) / (System.nanoTime() - t0));
            }
            return best;
        } finally {
            Parallel.setThreads(previous);
        }
    }

    private static float sum(MemorySegment m, long from, long to) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        long step = S.vectorByteSize();
        for (long i = from; i < to; i += 8 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(S, m, i, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(S, m, i + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(S, m, i + 2 * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(S, m, i + 3 * step, ByteOrder.LITTLE_ENDIAN));
            a4 = a4.add(FloatVector.fromMemorySegment(S, m, i + 4 * step, ByteOrder.LITTLE_ENDIAN));
            a5 = a5.add(FloatVector.fromMemorySegment(S, m, i + 5 * step, ByteOrder.LITTLE_ENDIAN));
            a6 = a6.add(FloatVector.fromMemorySegment(S, m, i + 6 * step, ByteOrder.LITTLE_ENDIAN));
            a7 = a7.add(FloatVector.fromMemorySegment(S, m, i + 7 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }
}
