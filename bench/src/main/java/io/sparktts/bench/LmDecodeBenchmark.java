package io.sparktts.bench;

import io.sparktts.core.qwen2.Qwen2Model;
import io.sparktts.core.qwen2.Qwen2Session;
import io.sparktts.core.qwen2.WeightPrecision;
import io.sparktts.kernels.Parallel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per decoded token of the full-size LM (random weights from {@link RandomQwen2}, generated into
 * {@code $SPARK_TTS_BENCH_DIR/qwen2-full} when absent) after a 300-token prompt, per weight format, head and thread
 * count. The cache is rewound to the prompt every 200 tokens so the context stays 300-500 tokens.
 * <p>e.g. {@code bin/bench LmDecodeBenchmark -p weights=int8 -p head=restricted -p threads=2}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LmDecodeBenchmark {
    static final int PROMPT = 300, DECODE = 200;

    /** mmap-f32 and mmap-bf16 read the file in place; f32, bf16 and int8 convert it into memory. */
    @Param({"mmap-f32", "f32", "mmap-bf16", "bf16", "int8"})
    public String weights;

    @Param({"full", "restricted"})
    public String head;

    @Param({"1", "2"})
    public int threads;

    private Qwen2Model model;
    private Qwen2Session session;
    private float[] logits;
    private int token;

    @Setup
    public void load() throws IOException {
        Path dir = BenchFiles.dir().resolve("qwen2-full");
        if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
            RandomQwen2.generate(dir);
        }
        Path modelDir = weights.equals("mmap-bf16") ? RandomQwen2.bf16Dir(dir) : dir;
        model = Qwen2Model.load(modelDir, switch (weights) {
            case "mmap-f32", "mmap-bf16" -> WeightPrecision.STORED;
            case "f32" -> WeightPrecision.F32;
            case "bf16" -> WeightPrecision.BF16;
            case "int8" -> WeightPrecision.INT8;
            default -> throw new IllegalArgumentException("weights " + weights);
        });
        Parallel.setThreads(threads);
        session = model.newSession(PROMPT + DECODE + 1);
        logits = new float[head.equals("full") ? model.config().vocabSize() : LmBench.RESTRICTED.size()];
        rewind();
    }

    private void rewind() {
        session.reset();
        int[] prompt = new java.util.SplittableRandom(3).ints(PROMPT, 0, model.config().vocabSize()).toArray();
        session.prefill(prompt, null, new float[model.config().vocabSize()]);
        token = prompt[PROMPT - 1];
    }

    /** One decoded token (the input is the previous greedy choice). */
    @Benchmark
    public int decodeOneToken() {
        if (session.position() == PROMPT + DECODE) {
            rewind();
        }
        if (head.equals("full")) {
            session.decode(token, logits);
            token = argmax(logits);
        } else {
            session.decode(token, LmBench.RESTRICTED, logits);
            token = LmBench.RESTRICTED.tokenAt(argmax(logits));
        }
        return token;
    }

    @TearDown
    public void close() {
        model.close();
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) best = i;
        }
        return best;
    }
}
