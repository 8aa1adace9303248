package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Conv1dTest {

    /** Scalar twin of {@link Conv1d#forward}, accumulated in double, straight from the definition. */
    static float[] reference(Conv1d.Spec s, float[] w, float[] bias, float[] x, int length) {
        int outLength = s.outputLength(length);
        int inPer = s.inChannels() / s.groups(), outPer = s.outChannels() / s.groups();
        float[] y = new float[s.outChannels() * outLength];
        for (int o = 0; o < s.outChannels(); o++) {
            int g = o / outPer;
            for (int t = 0; t < outLength; t++) {
                double acc = bias == null ? 0 : bias[o];
                for (int ci = 0; ci < inPer; ci++) {
                    int c = g * inPer + ci;
                    for (int k = 0; k < s.kernelSize(); k++) {
                        int pos = t * s.stride() + k * s.dilation() - s.padLeft();
                        if (pos >= 0 && pos < length) {
                            acc += (double) w[(o * inPer + ci) * s.kernelSize() + k] * x[c * length + pos];
                        }
                    }
                }
                y[o * outLength + t] = (float) acc;
            }
        }
        return y;
    }

    @Test
    void matchesScalarReferenceOverShapes() {
        Random r = new Random(11);
        Conv1d.Spec[] specs = {
                Conv1d.Spec.of(3, 5, 1),
                Conv1d.Spec.of(4, 8, 7).padding(3),
                Conv1d.Spec.of(6, 9, 7).dilation(3).padding(9),
                Conv1d.Spec.of(5, 7, 7).dilation(9).padding(27),
                Conv1d.Spec.of(1, 6, 10).stride(5),
                Conv1d.Spec.of(6, 6, 3).stride(2),
                Conv1d.Spec.of(6, 6, 2).stride(2),
                Conv1d.Spec.of(8, 8, 7).groups(8).padding(3),
                Conv1d.Spec.of(8, 16, 5).groups(4).padding(2, 1),
                Conv1d.Spec.of(12, 12, 6).groups(3).padding(3).stride(3),
                Conv1d.Spec.of(16, 1, 7).padding(3),
                Conv1d.Spec.of(9, 13, 4).stride(2).padding(1).dilation(2),
                Conv1d.Spec.of(20, 10, 3).padding(0, 2),
        };
        for (Conv1d.Spec s : specs) {
            for (int length : new int[] {13, 40, 100, 601, 1300}) {
                if (s.outputLength(length) < 1) continue;
                float[] w = random(r, s.weightSize());
                float[] b = random(r, s.outChannels());
                float[] x = random(r, s.inChannels() * length);
                for (float[] bias : new float[][] {null, b}) {
                    float[] want = reference(s, w, bias, x, length);
                    float[] got = new Conv1d(s, w, bias).forward(x, length);
                    assertEquals(want.length, got.length);
                    double tol = 1e-5 * Math.sqrt(s.inChannels() / s.groups() * s.kernelSize());
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), s + " length " + length + " at " + i);
                    }
                }
            }
        }
    }

    /** Shapes that take the FFT path (dense, stride 1, k >= 5, >= 32 channels, >= 128 outputs). */
    @Test
    void fftPathMatchesScalarReference() {
        Random r = new Random(12);
        Conv1d.Spec[] specs = {
                Conv1d.Spec.of(32, 32, 7).padding(3),
                Conv1d.Spec.of(40, 37, 7).dilation(3).padding(9),
                Conv1d.Spec.of(33, 64, 7).dilation(9).padding(27),
                Conv1d.Spec.of(48, 36, 5).padding(4, 0),
                Conv1d.Spec.of(32, 41, 16).padding(5, 2),
                Conv1d.Spec.of(64, 32, 7),
        };
        for (Conv1d.Spec s : specs) {
            for (int length : new int[] {128, 300, 1111}) {
                float[] w = random(r, s.weightSize());
                float[] b = random(r, s.outChannels());
                float[] x = random(r, s.inChannels() * length);
                float[] want = reference(s, w, b, x, length);
                float[] got = new Conv1d(s, w, b).forward(x, length);
                double tol = 1e-5 * Math.sqrt(s.inChannels() * s.kernelSize());
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), s + " length " + length + " at " + i);
                }
            }
        }
    }

    @Test
    void forwardAccumulateAddsToTheOutput() {
        Random r = new Random(13);
        for (Conv1d.Spec s : new Conv1d.Spec[] {Conv1d.Spec.of(7, 9, 1), Conv1d.Spec.of(300, 11, 3).padding(1),
                Conv1d.Spec.of(32, 40, 7).padding(3)}) {
            int length = 200;
            float[] w = random(r, s.weightSize()), b = random(r, s.outChannels()), x = random(r, s.inChannels() * length);
            float[] base = random(r, s.outChannels() * s.outputLength(length));
            float[] want = reference(s, w, b, x, length);
            float[] got = base.clone();
            new Conv1d(s, w, b).forwardAccumulate(x, length, got);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i] + base[i], got[i], 1e-4 * (1 + Math.abs(want[i])), s + " at " + i);
            }
        }
    }

    @Test
    void outputLengthFollowsPyTorch() {
        assertEquals(100, Conv1d.outputLength(100, 7, 1, 3, 3, 1));
        assertEquals(100, Conv1d.outputLength(100, 7, 1, 27, 27, 9));
        assertEquals(19199, Conv1d.outputLength(96000, 10, 5, 0, 0, 1));
        assertEquals(9599, Conv1d.outputLength(19199, 3, 2, 0, 0, 1));
        assertEquals(0, Conv1d.outputLength(5, 7, 1, 0, 0, 1));
    }

    @Test
    void refusesBadShapesAndShortInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv1d(Conv1d.Spec.of(4, 4, 3), new float[10], null));
        assertEquals("conv1d in=4 out=4 k=3 stride=1 dilation=1 groups=1 pad=0/0: weight has 10 elements, expected 48",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv1d.Spec.of(6, 4, 3).groups(4));
        assertEquals("conv1d: 4 groups do not divide in=6 out=4", e.getMessage());
        Conv1d c = new Conv1d(Conv1d.Spec.of(2, 2, 7), new float[28], null);
        e = assertThrows(IllegalArgumentException.class, () -> c.forward(new float[10], 5));
        assertEquals("conv1d in=2 out=2 k=7 stride=1 dilation=1 groups=1 pad=0/0: input length 5 is too short",
                e.getMessage());
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
