package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** RMSNorm, softmax, SiLU, RoPE and vector arithmetic against plain scalar twins in double. */
class ElementwiseKernelsTest {
    private static final int[] SIZES = {1, 7, 8, 33, 64, 896};

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 3);
        return a;
    }

    @Test
    void rmsNormMatchesScalarTwin() {
        Random r = new Random(1);
        for (int n : SIZES) {
            float[] x = random(r, n + 2), w = random(r, n), out = new float[n + 1];
            RmsNorm.apply(x, 2, w, 1e-6f, out, 1, n);
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) x[2 + i] * x[2 + i];
            double inv = 1 / Math.sqrt(ss / n + 1e-6);
            for (int i = 0; i < n; i++) assertEquals(x[2 + i] * inv * w[i], out[1 + i], 1e-5 * (1 + Math.abs(x[2 + i] * inv * w[i])), "n=" + n);
        }
    }

    @Test
    void softmaxMatchesScalarTwin() {
        Random r = new Random(2);
        for (int n : SIZES) {
            float[] x = random(r, n + 3);
            x[3] = -1e30f;
            float[] want = x.clone();
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < n; i++) max = Math.max(max, want[3 + i]);
            for (int i = 0; i < n; i++) sum += Math.exp(want[3 + i] - max);
            Softmax.inPlace(x, 3, n);
            for (int i = 0; i < n; i++) assertEquals(Math.exp(want[3 + i] - max) / sum, x[3 + i], 1e-6, "n=" + n + " i=" + i);
            assertEquals(want[0], x[0], 0f, "values before the slice are untouched");
        }
    }

    @Test
    void siluMatchesScalarTwin() {
        Random r = new Random(3);
        for (int n : SIZES) {
            float[] g = random(r, n), u = random(r, n), plain = g.clone(), gated = g.clone();
            g[0] = -100f;
            plain[0] = -100f;
            gated[0] = -100f;
            Silu.inPlace(plain, 0, n);
            Silu.gate(gated, u, 0, n);
            for (int i = 0; i < n; i++) {
                double s = g[i] / (1 + Math.exp(-g[i]));
                assertEquals(s, plain[i], 1e-6 * (1 + Math.abs(s)), "silu n=" + n);
                assertEquals(s * u[i], gated[i], 1e-6 * (1 + Math.abs(s * u[i])), "gate n=" + n);
            }
        }
    }

    @Test
    void ropeMatchesScalarTwinInRotateHalfConvention() {
        Random r = new Random(4);
        for (int headDim : new int[] {2, 16, 64, 80}) {
            Rope rope = new Rope(headDim, 1e6);
            int heads = 3, half = headDim / 2;
            for (int position : new int[] {0, 1, 37, 30000}) {
                float[] x = random(r, heads * headDim + 1), want = x.clone();
                float[] cos = new float[half + 2], sin = new float[half + 2];
                rope.angles(position, cos, sin, 2);
                rope.rotate(x, 1, heads, cos, sin, 2);
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < half; i++) {
                        float inv = 1f / (float) Math.pow(1e6f, (float) (2 * i) / headDim);
                        double angle = (float) position * inv;
                        double a = want[1 + h * headDim + i], b = want[1 + h * headDim + half + i];
                        String at = "d=" + headDim + " pos=" + position + " h=" + h + " i=" + i;
                        assertEquals(a * Math.cos(angle) - b * Math.sin(angle), x[1 + h * headDim + i], 2e-5, at);
                        assertEquals(b * Math.cos(angle) + a * Math.sin(angle), x[1 + h * headDim + half + i], 2e-5, at);
                    }
                }
            }
        }
    }

    @Test
    void vectorArithmeticMatchesScalarTwins() {
        Random r = new Random(5);
        for (int n : SIZES) {
            float[] a = random(r, n + 1), b = random(r, n + 2), out = new float[n];
            VectorMath.add(a, 1, b, 2, out, 0, n);
            for (int i = 0; i < n; i++) assertEquals(a[1 + i] + b[2 + i], out[i], 0f);
            float[] y = a.clone();
            VectorMath.addScaled(y, 1, 0.5f, b, 2, n);
            for (int i = 0; i < n; i++) assertEquals(a[1 + i] + 0.5 * b[2 + i], y[1 + i], 1e-5);
            float[] s = a.clone();
            VectorMath.scale(s, 1, -3f, n);
            for (int i = 0; i < n; i++) assertEquals(a[1 + i] * -3f, s[1 + i], 0f);
            double d = 0;
            for (int i = 0; i < n; i++) d += (double) a[1 + i] * b[2 + i];
            assertEquals(d, VectorMath.dot(a, 1, b, 2, n), 1e-5 * Math.sqrt(n) * 9);
        }
        assertEquals(1, VectorMath.argmax(new float[] {0, 3, 1, 3}, 0, 4), "first of equal maxima");
    }
}
