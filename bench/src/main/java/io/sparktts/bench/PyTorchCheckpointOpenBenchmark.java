package io.sparktts.bench;

import io.sparktts.safetensors.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Opening a large {@code torch.save} checkpoint (the zip directory, the restricted unpickler, every view checked)
 * must cost its metadata, not its data. The file is generated once into {@code $SPARK_TTS_BENCH_DIR} (default:
 * {@code java.io.tmpdir}/spark-tts-bench) and reused by later runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PyTorchCheckpointOpenBenchmark {

    /** Size of the generated file in MiB. */
    @Param("1100")
    public long sizeMib;

    private Path file;

    @Setup
    public void generateOnce() throws IOException {
        file = BenchFiles.dir().resolve("random-" + sizeMib + "mib.bin");
        if (!Files.isRegularFile(file)) {
            GeneratePyTorchCheckpoint.generate(file, sizeMib);
        }
    }

    /** Open (map the file, read the zip directory and the pickle, validate every view) and close. */
    @Benchmark
    public int open() throws IOException {
        try (TensorStore store = TensorStore.open(file)) {
            return store.names().size();
        }
    }

    /** Open, then convert the 1 MiB {@code probe} tensor to a float[]. */
    @Benchmark
    public float[] openAndReadOneTensor() throws IOException {
        try (TensorStore store = TensorStore.open(file)) {
            return store.tensor(GenerateSafetensors.PROBE).toFloats();
        }
    }
}
