package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {

    /** Scalar twin: the DFT by its definition, in double. */
    static double[][] dft(float[] x, int offset, int n) {
        double[][] out = new double[2][n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0, im = 0;
            for (int t = 0; t < n; t++) {
                double a = -2 * Math.PI * ((long) k * t % n) / n;
                re += x[offset + t] * Math.cos(a);
                im += x[offset + t] * Math.sin(a);
            }
            out[0][k] = re;
            out[1][k] = im;
        }
        return out;
    }

    @Test
    void matchesTheDefinitionForEverySizeUpTo4096() {
        Random r = new Random(11);
        for (int n = 4; n <= 4096; n *= 2) {
            float[] x = new float[n + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            Fft fft = new Fft(n);
            assertEquals(n / 2 + 1, fft.bins());
            float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
            fft.forward(x, 3, re, im);
            double[][] want = dft(x, 3, n);
            // float rounding grows like sqrt(n) log n for unit-variance input
            double tol = 2e-7 * Math.sqrt(n) * (Math.log(n) / Math.log(2)) * 4;
            for (int k = 0; k <= n / 2; k++) {
                assertEquals(want[0][k], re[k], tol, "n=" + n + " re[" + k + "]");
                assertEquals(want[1][k], im[k], tol, "n=" + n + " im[" + k + "]");
            }
            float[] mag = new float[n / 2 + 1 + 2];
            Fft.magnitude(re, im, n / 2 + 1, mag, 2);
            for (int k = 0; k <= n / 2; k++) {
                assertEquals(Math.hypot(want[0][k], want[1][k]), mag[k + 2], tol, "n=" + n + " |X[" + k + "]|");
            }
        }
    }

    @Test
    void pureToneLandsInItsBin() {
        int n = 1024;
        float[] x = new float[n];
        for (int t = 0; t < n; t++) x[t] = (float) Math.cos(2 * Math.PI * 37 * t / n);
        float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
        new Fft(n).forward(x, 0, re, im);
        for (int k = 0; k <= n / 2; k++) {
            assertEquals(k == 37 ? n / 2.0 : 0, re[k], 1e-3, "re " + k);
            assertEquals(0, im[k], 1e-3, "im " + k);
        }
    }

    @Test
    void refusesBadSizes() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Fft(1000)).getMessage().contains("1000"));
        assertThrows(IllegalArgumentException.class, () -> new Fft(2));
        assertThrows(IllegalArgumentException.class, () -> new Fft(16).forward(new float[15], 0, new float[9], new float[9]));
    }
}
