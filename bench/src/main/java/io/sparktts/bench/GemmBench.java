package io.sparktts.bench;

import io.sparktts.kernels.Gemm;
import io.sparktts.kernels.Parallel;
import java.util.Random;

/**
 * GFLOP/s of {@link Gemm} on the transformer shapes of a 6 s prompt through xlsr-53 (299 frames; 1024 -> 1024,
 * 1024 -> 4096, 4096 -> 1024) and the conv encoder's 512 x 1536 product, 1 and 2 threads.
 * Usage: {@code bin/bench tool GemmBench [repeats]}; compare with {@code FmaPeak}. GFLOP per CPU-second (process
 * CPU time) is the figure that stays meaningful on a shared machine.
 */
public final class GemmBench {

    private GemmBench() {}

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[][] shapes = {{299, 1024, 1024}, {299, 4096, 1024}, {299, 1024, 4096}, {4799, 512, 1536}};
        Random r = new Random(1);
        for (int threads = 1; threads <= Math.min(2, Runtime.getRuntime().availableProcessors()); threads++) {
            Parallel.setThreads(threads);
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = new float[m * k], w = new float[n * k], c = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
                for (int i = 0; i < w.length; i++) w[i] = r.nextFloat() - 0.5f;
                Gemm.Packed p = Gemm.packRows(w, 0, n, k, k);
                for (int i = 0; i < 10; i++) Gemm.multiply(a, 0, k, m, p, null, c, 0, n);
                long best = Long.MAX_VALUE, bestCpu = Long.MAX_VALUE;
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime(), c0 = CpuTime.process();
                    Gemm.multiply(a, 0, k, m, p, null, c, 0, n);
                    best = Math.min(best, System.nanoTime() - t0);
                    bestCpu = Math.min(bestCpu, CpuTime.process() - c0);
                }
                System.out.printf("threads %d  %5d x %4d x %4d: %7.2f ms  %5.1f GFLOP/s  %5.1f GFLOP per CPU-second%n",
                        threads, m, n, k, best / 1e6, 2.0 * m * n * k / best, 2.0 * m * n * k / bestCpu);
            }
        }
    }
}
