package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GemmTest {

    /** Scalar twin: {@code c[i][j] = bias[j] + sum_k a[i][k] * b(k, j)}, in double. */
    static void reference(float[] a, int aOff, int lda, int m, int k, float[] w, int n, boolean rows, float[] bias,
                          float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias[j];
                for (int kk = 0; kk < k; kk++) {
                    s += (double) a[aOff + i * lda + kk] * (rows ? w[j * k + kk] : w[kk * n + j]);
                }
                c[cOff + i * ldc + j] = (float) s;
            }
        }
    }

    @Test
    void matchesScalarReferenceOnOddShapesStridesAndDepthBlocks() {
        Random r = new Random(5);
        // m, n, k: tails in every direction, depth over several 256-blocks, one-column and one-row products
        int[][] shapes = {{1, 1, 1}, {7, 17, 3}, {6, 16, 256}, {13, 33, 257}, {5, 40, 600}, {20, 9, 1030}, {300, 64, 64}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean rows : new boolean[] {true, false}) {
                int lda = k + 3, ldc = n + 2, aOff = 5, cOff = 1;
                float[] a = MatMulTest.random(r, aOff + m * lda), w = MatMulTest.random(r, n * k), bias = MatMulTest.random(r, n);
                Gemm.Packed p = rows ? Gemm.packRows(w, 0, n, k, k) : Gemm.packColumns(w, 0, k, n, n);
                for (float[] b : new float[][] {null, bias}) {
                    float[] got = new float[cOff + m * ldc + 1], want = got.clone();
                    java.util.Arrays.fill(got, 42f);
                    java.util.Arrays.fill(want, 42f);
                    Gemm.multiply(a, aOff, lda, m, p, b, got, cOff, ldc);
                    reference(a, aOff, lda, m, k, w, n, rows, b, want, cOff, ldc);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(want[i], got[i], 2e-6 * Math.sqrt(k) * 4, m + "x" + n + "x" + k + " rows=" + rows + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void overlappingRowsMakeAStridedConvolution() {
        // rows of A at stride 2 over a [T][C] signal with 3*C values each: a kernel-3, stride-2 convolution
        Random r = new Random(9);
        int t = 21, ch = 5, out = 4, kernel = 3, frames = (t - kernel) / 2 + 1;
        float[] x = MatMulTest.random(r, t * ch), w = MatMulTest.random(r, out * kernel * ch);
        float[] y = new float[frames * out];
        Gemm.multiply(x, 0, 2 * ch, frames, Gemm.packRows(w, 0, out, kernel * ch, kernel * ch), null, y, 0, out);
        for (int f = 0; f < frames; f++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int q = 0; q < kernel; q++) {
                    for (int c = 0; c < ch; c++) s += x[(2 * f + q) * ch + c] * w[(o * kernel + q) * ch + c];
                }
                assertEquals(s, y[f * out + o], 1e-5);
            }
        }
    }

    @Test
    void refusesArraysTooSmall() {
        Gemm.Packed p = Gemm.packRows(new float[12], 0, 3, 4, 4);
        assertEquals("gemm: A of 7 floats is too small for 2 x 4 from 0 with stride 4",
                assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(new float[7], 0, 4, 2, p, null, new float[6], 0, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(new float[8], 0, 4, 2, p, null, new float[5], 0, 3));
    }
}
