package io.sparktts.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark-tts parity --component wav2vec2 | bicodec-encode} on the golden fixtures. */
class EncodeParityTest {
    static final Path W2V = Path.of("../core/src/test/resources/golden/wav2vec2-tiny");
    static final Path BICODEC = Path.of("../core/src/test/resources/golden/bicodec-tiny");

    @TempDir
    Path tmp;

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void wav2vec2OutputsMatchTheGolden() throws Exception {
        Path out = tmp.resolve("w2v.safetensors");
        assertEquals(0, Main.run(new String[] {"parity", "--component", "wav2vec2", "--model", W2V.toString(),
                "--inputs", W2V.resolve("io.safetensors").toString(), "--out", out.toString()}));
        try (TensorStore want = TensorStore.open(W2V.resolve("io.safetensors")); TensorStore got = TensorStore.open(out)) {
            assertTrue(maxDiff(want.tensor("input_values").toFloats(), got.tensor("input_values").toFloats()) <= 1e-5);
            assertTrue(maxDiff(want.tensor("extract_features").toFloats(), got.tensor("extract_features").toFloats()) <= 1e-4);
            for (int k = 0; k <= 16; k++) {
                String n = "hidden_state_" + k;
                assertArrayEquals(want.tensor(n).shape(), got.tensor(n).shape(), n);
                assertTrue(maxDiff(want.tensor(n).toFloats(), got.tensor(n).toFloats()) <= 1e-3, n);
            }
            assertTrue(maxDiff(want.tensor("feats_mix").toFloats(), got.tensor("feats_mix").toFloats()) <= 1e-3);
        }
    }

    @Test
    void bicodecEncodeOutputsMatchTheGolden() throws Exception {
        Path out = tmp.resolve("enc.safetensors");
        assertEquals(0, Main.run(new String[] {"parity", "--component", "bicodec-encode", "--model", BICODEC.toString(),
                "--inputs", BICODEC.resolve("io.safetensors").toString(), "--out", out.toString()}));
        try (TensorStore want = TensorStore.open(BICODEC.resolve("io.safetensors")); TensorStore got = TensorStore.open(out)) {
            for (String n : new String[] {"mel", "encoder_out", "ecapa_latent", "x_vector", "perceiver_out"}) {
                float[] w = want.tensor(n).toFloats();
                double scale = 0;
                for (float v : w) scale = Math.max(scale, Math.abs(v));
                assertArrayEquals(want.tensor(n).shape(), got.tensor(n).shape(), n);
                assertTrue(maxDiff(w, got.tensor(n).toFloats()) <= 1e-4 * Math.max(1, scale), n);
            }
            for (String n : new String[] {"semantic_tokens", "global_tokens"}) {
                assertArrayEquals(want.tensor(n).shape(), got.tensor(n).shape(), n);
                assertArrayEquals(want.tensor(n).toLongs(), got.tensor(n).toLongs(), n);
            }
        }
    }

    @Test
    void missingInputsAreReported() {
        assertEquals(1, Main.run(new String[] {"parity", "--component", "bicodec-encode", "--model", BICODEC.toString(),
                "--inputs", W2V.resolve("io.safetensors").toString(), "--out", tmp.resolve("x").toString()}));
    }
}
