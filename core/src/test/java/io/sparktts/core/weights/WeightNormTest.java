package io.sparktts.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightNormTest {

    @Test
    void foldsOverDimZeroAndDimTwo() {
        Random r = new Random(1);
        int a = 3, b = 4, k = 5;
        float[] v = new float[a * b * k];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        float[] g0 = {0.5f, -2f, 3f};
        float[] w0 = WeightNorm.fold(g0, v, new long[] {a, b, k}, 0);
        float[] g2 = {1f, 2f, 3f, 4f, 5f};
        float[] w2 = WeightNorm.fold(g2, v, new long[] {a, b, k}, 2);
        for (int i = 0; i < a; i++) {
            double n = 0;
            for (int j = 0; j < b * k; j++) n += v[i * b * k + j] * (double) v[i * b * k + j];
            for (int j = 0; j < b * k; j++) {
                assertEquals(g0[i] * v[i * b * k + j] / Math.sqrt(n), w0[i * b * k + j], 1e-6);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            double n = 0;
            for (int j = 0; j < a * b; j++) n += v[j * k + kk] * (double) v[j * k + kk];
            for (int j = 0; j < a * b; j++) {
                assertEquals(g2[kk] * v[j * k + kk] / Math.sqrt(n), w2[j * k + kk], 1e-6);
            }
        }
    }
}
