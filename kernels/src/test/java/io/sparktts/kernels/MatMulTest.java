package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MatMulTest {

    /** Scalar twin of {@link MatMul#linear}, accumulated in double. */
    static void linearReference(float[] x, int tokens, int in, float[] w, float[] bias, int out, float[] y) {
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    s += (double) x[t * in + i] * w[o * in + i];
                }
                y[t * out + o] = (float) s;
            }
        }
    }

    @Test
    void linearMatchesScalarReferenceOnOddShapes() {
        Random r = new Random(7);
        int[][] shapes = {{1, 3, 5}, {5, 17, 9}, {7, 64, 33}, {9, 300, 129}, {4, 896, 200}};
        for (int[] s : shapes) {
            int tokens = s[0], in = s[1], out = s[2];
            float[] x = random(r, tokens * in), w = random(r, out * in), b = random(r, out);
            for (float[] bias : new float[][] {null, b}) {
                float[] got = new float[tokens * out], want = new float[tokens * out];
                MatMul.linear(x, tokens, in, w, bias, out, got);
                linearReference(x, tokens, in, w, bias, out, want);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(want[i], got[i], 1e-5f * (1 + Math.abs(want[i])) * Math.sqrt(in), "shape " + tokens + "x" + in + "x" + out + " at " + i);
                }
            }
        }
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
