package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerNormTest {

    /** Scalar twin: one row of {@code n} values at stride {@code step}, statistics in double. */
    static void referenceRow(float[] x, int off, int step, int n, float[] w, float[] b, float eps, float[] y) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[off + i * step];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) var += (x[off + i * step] - mean) * (x[off + i * step] - mean);
        var /= n;
        for (int i = 0; i < n; i++) {
            double v = (x[off + i * step] - mean) / Math.sqrt(var + eps);
            y[off + i * step] = (float) (v * (w == null ? 1 : w[i]) + (b == null ? 0 : b[i]));
        }
    }

    @Test
    void rowsMatchScalarReference() {
        Random r = new Random(3);
        for (int[] s : new int[][] {{1, 1}, {3, 7}, {5, 16}, {40, 33}, {200, 768}, {9, 1024}}) {
            int rows = s[0], dim = s[1];
            float[] x = Conv1dTest.random(r, rows * dim), w = Conv1dTest.random(r, dim), b = Conv1dTest.random(r, dim);
            for (int i = 0; i < x.length; i++) x[i] += 3f;
            for (boolean affine : new boolean[] {false, true}) {
                float[] want = new float[x.length], got = new float[x.length];
                for (int row = 0; row < rows; row++) {
                    referenceRow(x, row * dim, 1, dim, affine ? w : null, affine ? b : null, 1e-6f, want);
                }
                LayerNorm.rows(x, rows, dim, affine ? w : null, affine ? b : null, 1e-6f, got);
                assertClose(want, got, rows + "x" + dim);
                float[] inPlace = x.clone();
                LayerNorm.rows(inPlace, rows, dim, affine ? w : null, affine ? b : null, 1e-6f, inPlace);
                assertClose(want, inPlace, "in place " + rows + "x" + dim);
            }
        }
    }

    @Test
    void channelsFirstMatchesScalarReference() {
        Random r = new Random(4);
        for (int[] s : new int[][] {{1, 1}, {7, 3}, {16, 8}, {33, 45}, {512, 101}}) {
            int channels = s[0], length = s[1];
            float[] x = Conv1dTest.random(r, channels * length), w = Conv1dTest.random(r, channels);
            float[] b = Conv1dTest.random(r, channels);
            float[] want = new float[x.length], got = new float[x.length];
            for (int t = 0; t < length; t++) referenceRow(x, t, length, channels, w, b, 1e-5f, want);
            LayerNorm.channelsFirst(x, channels, length, w, b, 1e-5f, got);
            assertClose(want, got, channels + "x" + length);
        }
    }

    private static void assertClose(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 2e-5f * (1 + Math.abs(want[i])), what + " at " + i);
        }
    }
}
