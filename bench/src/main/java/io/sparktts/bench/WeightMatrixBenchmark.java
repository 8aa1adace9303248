package io.sparktts.bench;

import io.sparktts.kernels.Parallel;
import io.sparktts.kernels.WeightFormat;
import io.sparktts.kernels.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matrix-vector products of the LM's MLP shape ({@code [4864, 896]}), per format and thread count: {@code matrices=1}
 * stays in the last-level cache (compute speed), {@code matrices=64} streams about 280 MB (Q8_0) to 1.1 GB (F32) from
 * memory per pass (bandwidth). The score is per matrix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class WeightMatrixBenchmark {
    static final int ROWS = 4864, COLS = 896;

    @Param({"F32", "BF16", "Q8_0"})
    public WeightFormat format;

    @Param({"1", "64"})
    public int matrices;

    @Param({"1", "2"})
    public int threads;

    private WeightMatrix[] mats;
    private final float[] x = new float[COLS];
    private final float[] out = new float[ROWS];
    private int next;

    @Setup
    public void create() {
        Parallel.setThreads(threads);
        MemorySegment f32 = Arena.ofAuto().allocate(4L * ROWS * COLS, 64);
        SplittableRandom r = new SplittableRandom(1);
        ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < (long) ROWS * COLS; i++) f32.setAtIndex(le, i, (float) r.nextGaussian() * 0.03f);
        for (int i = 0; i < COLS; i++) x[i] = (float) r.nextGaussian();
        WeightMatrix source = WeightMatrix.of(WeightFormat.F32, f32, ROWS, COLS);
        mats = new WeightMatrix[matrices];
        for (int m = 0; m < matrices; m++) mats[m] = source.convert(format);
    }

    @Benchmark
    public float[] multiply() {
        WeightMatrix m = mats[next];
        next = (next + 1) % mats.length;
        m.multiply(x, out);
        return out;
    }
}
