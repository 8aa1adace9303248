package io.sparktts.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;

/** Comparisons against the golden fixtures' tensors, with the tolerances their README files state. */
public final class Golden {

    public static final Path BICODEC = Path.of("src/test/resources/golden/bicodec-tiny");
    public static final Path WAV2VEC2 = Path.of("src/test/resources/golden/wav2vec2-tiny");

    private Golden() {}

    /** Largest absolute difference. */
    public static double maxDiff(float[] want, float[] got) {
        assertTrue(want.length == got.length, "length " + got.length + ", expected " + want.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs((double) want[i] - got[i]);
            if (!(d <= worst)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return worst;
    }

    public static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** bicodec-tiny rule: max |port - golden| <= 1e-4 * max(1, max |golden|). */
    public static void assertScaled(TensorStore io, String name, float[] got) throws CheckpointException {
        float[] want = io.tensor(name).toFloats();
        double tol = 1e-4 * Math.max(1, maxAbs(want));
        double d = maxDiff(want, got);
        assertTrue(d <= tol, name + ": max |diff| " + d + " > " + tol);
    }

    /** Absolute tolerance. */
    public static void assertClose(TensorStore io, String name, float[] got, double tol) throws CheckpointException {
        double d = maxDiff(io.tensor(name).toFloats(), got);
        assertTrue(d <= tol, name + ": max |diff| " + d + " > " + tol);
    }

    public static void assertIds(TensorStore io, String name, long[] got) throws CheckpointException {
        assertArrayEquals(io.tensor(name).toLongs(), got, name);
    }
}
