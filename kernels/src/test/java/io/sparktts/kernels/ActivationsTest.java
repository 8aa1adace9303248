package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    /** erf in double: 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)), a series of positive terms. */
    static double erfReference(double x) {
        double ax = Math.abs(x);
        if (ax > 6) return Math.signum(x);
        double term = ax, sum = ax;
        for (int n = 1; n < 200; n++) {
            term *= 2 * ax * ax / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
    }

    static float[] inputs() {
        Random r = new Random(5);
        float[] x = new float[4099];
        for (int i = 0; i < x.length; i++) {
            x[i] = i < 2000 ? (i - 1000) * 0.009f : (float) (r.nextGaussian() * 3);
        }
        x[0] = 0f;
        x[1] = -0f;
        x[2] = 40f;
        x[3] = -40f;
        return x;
    }

    @Test
    void geluMatchesErfDefinition() {
        float[] x = inputs();
        float[] y = x.clone();
        Activations.gelu(y, 0, y.length);
        for (int i = 0; i < x.length; i++) {
            double want = 0.5 * x[i] * (1 + erfReference(x[i] / Math.sqrt(2)));
            // erf is within 3e-7 absolute, which x/2 scales (1 + erf cancels for negative x, as in PyTorch).
            double tol = 3e-7 * Math.max(1, Math.abs(want)) + 1.5e-7 * Math.abs(x[i]);
            assertEquals(want, y[i], tol, "gelu(" + x[i] + ")");
        }
    }

    @Test
    void scalarErfMatchesDefinition() {
        for (float x : inputs()) {
            assertEquals(erfReference(x), Activations.erf(x), 3e-7, "erf(" + x + ")");
        }
    }

    @Test
    void tanhMatchesMath() {
        float[] x = inputs();
        float[] y = x.clone();
        Activations.tanh(y, 3, y.length - 5);
        for (int i = 0; i < x.length; i++) {
            double want = i < 3 || i >= x.length - 2 ? x[i] : Math.tanh(x[i]);
            assertEquals(want, y[i], 2e-7 * Math.max(1e-3, Math.abs(want)), "tanh(" + x[i] + ") at " + i);
        }
    }

    @Test
    void leakyReluAndRelu() {
        float[] x = inputs();
        float[] leaky = x.clone(), relu = x.clone();
        Activations.leakyRelu(leaky, 0, x.length, 0.2f);
        Activations.relu(relu, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] < 0 ? 0.2f * x[i] : x[i], leaky[i], 0f);
            assertEquals(x[i] < 0 ? 0f : x[i], relu[i], 0f);
        }
    }

    @Test
    void snakeMatchesDefinitionPerChannel() {
        float[] x = inputs();
        int channels = 3, length = 1366;
        float[] alpha = {1f, 0.37f, 2.5f};
        float[] y = x.clone();
        Activations.snake(y, channels, length, alpha);
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < length; t++) {
                int i = c * length + t;
                double s = Math.sin((double) alpha[c] * x[i]);
                double want = x[i] + s * s / (alpha[c] + 1e-9);
                assertEquals(want, y[i], 5e-7 * Math.max(1, Math.abs(want)), "snake c=" + c + " x=" + x[i]);
            }
        }
        assertEquals(x[channels * length], y[channels * length], 0f, "beyond the signal is untouched");
    }

    @Test
    void refusesRangesOutsideTheArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activations.gelu(new float[4], 2, 3));
        assertEquals("activation: range 2+3 outside array of 4", e.getMessage());
    }
}
