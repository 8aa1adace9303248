package io.sparktts.bench;

import io.sparktts.kernels.Conv1d;
import io.sparktts.kernels.ConvTranspose1d;
import io.sparktts.kernels.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GFLOP/s of the full-size WaveGenerator's layer shapes (one second of audio each), by wall time and by the
 * calling thread's CPU time (with one thread the CPU figure stays meaningful on a busy machine), next to the
 * machine's register-only FMA ceiling.
 * <p>usage: {@code bin/bench tool ConvLayerBench [THREADS=1] [REPEATS=3]}
 */
public final class ConvLayerBench {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private ConvLayerBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Parallel.setThreads(threads);
        System.out.printf("FMA ceiling, one thread: %.1f GFLOP/s%n", fmaPeak());
        // One second of audio: 50 frames in, 400 / 2000 / 8000 / 16000 after the four upsampling blocks.
        conv("first conv 1024->1536 k7", Conv1d.Spec.of(1024, 1536, 7).padding(3), 50, repeats);
        int[] dims = {768, 384, 192, 96};
        int[] lengths = {400, 2000, 8000, 16000};
        int[] rates = {8, 5, 4, 2};
        int[] kernels = {16, 11, 8, 4};
        for (int i = 0; i < 4; i++) {
            int d = dims[i], n = lengths[i];
            ConvTranspose1d.Spec up = ConvTranspose1d.Spec.of(2 * d, d, kernels[i], rates[i])
                    .padding((kernels[i] - rates[i]) / 2);
            transposed("up " + 2 * d + "->" + d + " k" + kernels[i] + " s" + rates[i], up, n / rates[i], repeats);
            for (int dil : new int[] {1, 3, 9}) {
                conv("res " + d + " k7 d" + dil, Conv1d.Spec.of(d, d, 7).dilation(dil).padding(3 * dil), n, repeats);
            }
            conv("res " + d + " k1", Conv1d.Spec.of(d, d, 1), n, repeats);
        }
    }

    private static void conv(String name, Conv1d.Spec s, int length, int repeats) {
        SplittableRandom r = new SplittableRandom(1);
        Conv1d c = new Conv1d(s, random(r, s.weightSize(), 0.05), random(r, s.outChannels(), 0.1));
        float[] x = random(r, s.inChannels() * length, 1);
        float[] out = new float[s.outChannels() * s.outputLength(length)];
        double flop = 2.0 * s.weightSize() * s.outputLength(length);
        report(name, flop, repeats, () -> c.forward(x, length, out));
    }

    private static void transposed(String name, ConvTranspose1d.Spec s, int length, int repeats) {
        SplittableRandom r = new SplittableRandom(2);
        ConvTranspose1d c = new ConvTranspose1d(s, random(r, s.weightSize(), 0.05), random(r, s.outChannels(), 0.1));
        float[] x = random(r, s.inChannels() * length, 1);
        float[] out = new float[s.outChannels() * s.outputLength(length)];
        double flop = 2.0 * s.weightSize() * length;
        report(name, flop, repeats, () -> c.forward(x, length, out));
    }

    private static void report(String name, double flop, int repeats, Runnable body) {
        body.run();
        double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long w0 = System.nanoTime(), c0 = MX.getCurrentThreadCpuTime();
            body.run();
            bestWall = Math.min(bestWall, (System.nanoTime() - w0) / 1e9);
            bestCpu = Math.min(bestCpu, (MX.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        System.out.printf("%-28s %6.2f GFLOP  wall %7.1f ms %6.1f GFLOP/s   caller-cpu %7.1f ms %6.1f GFLOP/s%n",
                name, flop / 1e9, bestWall * 1e3, flop / bestWall / 1e9, bestCpu * 1e3, flop / bestCpu / 1e9);
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    /** Twelve independent FMA chains in registers: the most one thread can compute. */
    static double fmaPeak() {
        double best = 0;
        for (int round = 0; round < 40; round++) {
            long c0 = MX.getCurrentThreadCpuTime();
            float sink = fmaChains(2_000_000);
            double seconds = (MX.getCurrentThreadCpuTime() - c0) / 1e9;
            if (sink == 42f) System.out.print("");
            best = Math.max(best, 2_000_000 * 12.0 * FloatVector.SPECIES_PREFERRED.length() * 2 / seconds / 1e9);
        }
        return best;
    }

    private static float fmaChains(int iterations) {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        FloatVector a0 = FloatVector.broadcast(s, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector m = FloatVector.broadcast(s, 0.9999999f), c = FloatVector.broadcast(s, 1e-7f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
