package io.sparktts.bench;

import io.sparktts.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's fused multiply-add ceiling with the Vector API: independent FMA chains on registers only, on 1 and
 * 2 threads. Usage: {@code bin/bench tool FmaPeak [seconds]}. The yardstick for the GEMM and model benchmarks.
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FmaPeak() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        System.out.printf("vector lanes: %d floats%n", S.length());
        for (int threads = 1; threads <= Math.min(2, Runtime.getRuntime().availableProcessors()); threads++) {
            Parallel.setThreads(threads);
            double best = 0, bestCpu = 0;
            for (int rep = 0; rep < 5; rep++) {
                double[] g = measure(threads, seconds / 5);
                best = Math.max(best, g[0]);
                bestCpu = Math.max(bestCpu, g[1]);
            }
            System.out.printf("threads %d: %.1f GFLOP/s (%.1f per thread), %.1f GFLOP per CPU-second%n", threads, best,
                    best / threads, bestCpu);
        }
    }

    /** GFLOP per wall second and per CPU second over about {@code seconds}. */
    static double[] measure(int threads, double seconds) {
        long iters = 2_000_000;
        float[] sink = new float[threads * S.length()];
        long start = System.nanoTime(), cpu = CpuTime.process();
        long total = 0;
        do {
            long n = iters;
            Parallel.forRange(threads, 1, (from, to) -> {
                for (int t = from; t < to; t++) {
                    chains(n, sink, t * S.length());
                }
            });
            total += iters;
        } while (System.nanoTime() - start < seconds * 1e9);
        double elapsed = (System.nanoTime() - start) / 1e9, cpuSeconds = (CpuTime.process() - cpu) / 1e9;
        // 10 chains x 2 flops x lanes per iteration per thread
        double flops = total * threads * 10.0 * 2 * S.length();
        return new double[] {flops / elapsed / 1e9, flops / cpuSeconds / 1e9};
    }

    private static void chains(long n, float[] sink, int at) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f), a = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3), c4 = c0.add(4);
        FloatVector c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7), c8 = c0.add(8), c9 = c0.add(9);
        for (long i = 0; i < n; i++) {
            c0 = c0.fma(m, a); c1 = c1.fma(m, a); c2 = c2.fma(m, a); c3 = c3.fma(m, a); c4 = c4.fma(m, a);
            c5 = c5.fma(m, a); c6 = c6.fma(m, a); c7 = c7.fma(m, a); c8 = c8.fma(m, a); c9 = c9.fma(m, a);
        }
        c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).intoArray(sink, at);
    }
}
