package io.sparktts.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark-tts parity --component lm} on the qwen2-tiny golden fixture. */
class LmParityTest {
    static final Path GOLDEN = Path.of("../core/src/test/resources/golden/qwen2-tiny");

    @TempDir
    Path tmp;

    Path run(String weights, String... extra) {
        Path out = tmp.resolve(weights + ".safetensors");
        String[] base = {"parity", "--component", "lm", "--model", GOLDEN.toString(), "--inputs",
                GOLDEN.resolve("io.safetensors").toString(), "--out", out.toString(), "--weights", weights};
        String[] argv = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, argv, base.length, extra.length);
        assertEquals(0, Main.run(argv));
        return out;
    }

    static float maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void f32AndBf16OutputsMatchTheGoldenWithinItsTolerance() throws Exception {
        try (TensorStore want = TensorStore.open(GOLDEN.resolve("io.safetensors"))) {
            for (String[] c : new String[][] {{"f32", ""}, {"bf16", "bf16_"}}) {
                try (TensorStore got = TensorStore.open(run(c[0]))) {
                    String p = c[1];
                    assertTrue(maxDiff(want.tensor(p + "prefill_logits").toFloats(), got.tensor("prefill_logits").toFloats()) <= 1e-4, c[0]);
                    assertArrayEquals(want.tensor(p + "greedy_ids").toLongs(), got.tensor("greedy_ids").toLongs(), c[0]);
                    assertTrue(maxDiff(want.tensor(p + "step_logits").toFloats(), got.tensor("step_logits").toFloats()) <= 1e-4, c[0]);
                    assertArrayEquals(new long[] {30, 1024}, got.tensor("step_logits").shape());
                }
            }
        }
    }

    @Test
    void stepsOptionAndBadArguments() throws Exception {
        try (TensorStore got = TensorStore.open(run("int8", "--steps", "4"))) {
            assertArrayEquals(new long[] {4}, got.tensor("greedy_ids").shape());
            assertArrayEquals(new long[] {23, 1024}, got.tensor("prefill_logits").shape());
        }
        assertEquals(2, Main.run(new String[] {"parity", "--component", "lm", "--model", GOLDEN.toString(), "--inputs",
                GOLDEN.resolve("io.safetensors").toString(), "--out", tmp.resolve("x").toString(), "--weights", "fp8"}));
        assertEquals(1, Main.run(new String[] {"parity", "--component", "lm", "--model", tmp.toString(), "--inputs",
                GOLDEN.resolve("io.safetensors").toString(), "--out", tmp.resolve("x").toString()}));
    }
}
