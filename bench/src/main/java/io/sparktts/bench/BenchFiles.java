package io.sparktts.bench;

import java.nio.file.Path;

/** Where benchmarks keep generated checkpoints: outside every repository, reused between runs. */
final class BenchFiles {
    private BenchFiles() {}

    /** {@code $SPARK_TTS_BENCH_DIR}, else {@code java.io.tmpdir}/spark-tts-bench. */
    static Path dir() {
        String env = System.getenv("SPARK_TTS_BENCH_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("java.io.tmpdir"), "spark-tts-bench");
    }
}
