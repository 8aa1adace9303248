package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvTranspose1dTest {

    /** Scalar twin: scatters every input sample through every tap, accumulated in double. */
    static float[] reference(ConvTranspose1d.Spec s, float[] w, float[] bias, float[] x, int length) {
        int outLength = s.outputLength(length);
        int inPer = s.inChannels() / s.groups(), outPer = s.outChannels() / s.groups();
        double[] y = new double[s.outChannels() * outLength];
        for (int o = 0; o < s.outChannels(); o++) {
            for (int t = 0; t < outLength; t++) y[o * outLength + t] = bias == null ? 0 : bias[o];
        }
        for (int c = 0; c < s.inChannels(); c++) {
            int g = c / inPer;
            for (int i = 0; i < length; i++) {
                for (int oo = 0; oo < outPer; oo++) {
                    int o = g * outPer + oo;
                    for (int j = 0; j < s.kernelSize(); j++) {
                        int t = i * s.stride() + j - s.padding();
                        if (t >= 0 && t < outLength) {
                            y[o * outLength + t] += (double) x[c * length + i] * w[(c * outPer + oo) * s.kernelSize() + j];
                        }
                    }
                }
            }
        }
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (float) y[i];
        return out;
    }

    @Test
    void matchesScalarReferenceOverShapes() {
        Random r = new Random(21);
        ConvTranspose1d.Spec[] specs = {
                ConvTranspose1d.Spec.of(6, 4, 16, 8).padding(4),
                ConvTranspose1d.Spec.of(5, 3, 11, 5).padding(3),
                ConvTranspose1d.Spec.of(8, 4, 8, 4).padding(2),
                ConvTranspose1d.Spec.of(4, 2, 4, 2).padding(1),
                ConvTranspose1d.Spec.of(3, 3, 1, 1),
                ConvTranspose1d.Spec.of(3, 5, 3, 4),
                ConvTranspose1d.Spec.of(8, 8, 6, 3).padding(2).outputPadding(1).groups(8),
                ConvTranspose1d.Spec.of(8, 8, 4, 2).padding(1).groups(8),
                ConvTranspose1d.Spec.of(6, 9, 5, 2).padding(3).outputPadding(1).groups(3),
        };
        for (ConvTranspose1d.Spec s : specs) {
            for (int length : new int[] {1, 7, 50, 301}) {
                if (s.outputLength(length) < 1) continue;
                float[] w = Conv1dTest.random(r, s.weightSize()), b = Conv1dTest.random(r, s.outChannels());
                float[] x = Conv1dTest.random(r, s.inChannels() * length);
                for (float[] bias : new float[][] {null, b}) {
                    float[] want = reference(s, w, bias, x, length);
                    float[] got = new ConvTranspose1d(s, w, bias).forward(x, length);
                    assertEquals(want.length, got.length);
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), s + " length " + length + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void outputLengthFollowsPyTorch() {
        assertEquals(4000, ConvTranspose1d.Spec.of(1536, 768, 16, 8).padding(4).outputLength(500));
        assertEquals(20000, ConvTranspose1d.Spec.of(768, 384, 11, 5).padding(3).outputLength(4000));
        assertEquals(150, ConvTranspose1d.Spec.of(4, 4, 6, 3).padding(2).outputPadding(1).outputLength(50));
    }

    @Test
    void refusesBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose1d(ConvTranspose1d.Spec.of(2, 3, 4, 2), new float[5], null));
        assertEquals("conv-transpose1d in=2 out=3 k=4 stride=2 padding=0 output_padding=0 groups=1: weight has 5"
                + " elements, expected 24", e.getMessage());
    }
}
