package io.sparktts.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix product for many rows at once, {@code C[i][j] = bias[j] + sum_k A[i][k] * B[k][j]}, blocked for the
 * caches: B is packed once into panels of two vectors' worth of columns ({@link Packed}, e.g. a layer's weights at
 * load time), A is read in place with any row stride (so a strided convolution over channels-last frames is one
 * product with overlapping rows). A 6 x 16 register tile accumulates over depth blocks that keep the B panel in
 * L1; threads split the column panels. 256-bit vectors: the tile is sized for AVX2's 16 registers.
 */
public final class Gemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    /** Columns per packed panel (two vectors). */
    public static final int NR = 16;
    /** Rows per register tile. */
    private static final int MR = 6;
    /** Depth per block: a 16 x 256 panel slice is 16 KiB. */
    private static final int KC = 256;
    /** Rows per block: 120 rows of a depth block of A (120 KiB) stay in L2 while the panels pass over them. */
    private static final int MC = 120;

    private Gemm() {}

    /**
     * B packed as {@code ceil(n / 16)} panels, each {@code [k][16]} (depth-major, columns past {@code n} zero).
     * Immutable once built.
     */
    public static final class Packed {
        private final float[] data;
        private final int n;
        private final int k;

        private Packed(int n, int k) {
            if (n < 1 || k < 1) {
                throw new IllegalArgumentException("gemm: bad packed shape n=" + n + " k=" + k);
            }
            this.n = n;
            this.k = k;
            data = new float[Math.multiplyExact(panels(n) * NR, k)];
        }

        public int columns() {
            return n;
        }

        public int depth() {
            return k;
        }
    }

    private static int panels(int n) {
        return (n + NR - 1) / NR;
    }

    /** Packs a linear layer's weight {@code w[j*ldw + kk]} ({@code [n][k]} rows, PyTorch's Linear layout). */
    public static Packed packRows(float[] w, int offset, int n, int k, int ldw) {
        Packed p = new Packed(n, k);
        checkSpan(w.length, offset, n, k, ldw, "weight");
        for (int j = 0; j < n; j++) {
            int base = (j / NR) * NR * k + j % NR;
            int src = offset + j * ldw;
            for (int kk = 0; kk < k; kk++) {
                p.data[base + kk * NR] = w[src + kk];
            }
        }
        return p;
    }

    /** Packs {@code b[kk*ldb + j]} ({@code [k][n]} rows, e.g. attention values). */
    public static Packed packColumns(float[] b, int offset, int k, int n, int ldb) {
        Packed p = new Packed(n, k);
        checkSpan(b.length, offset, k, n, ldb, "matrix");
        for (int kk = 0; kk < k; kk++) {
            int src = offset + kk * ldb;
            for (int j = 0; j < n; j++) {
                p.data[(j / NR) * NR * k + kk * NR + j % NR] = b[src + j];
            }
        }
        return p;
    }

    /**
     * {@code c[cOff + i*ldc + j] = bias[j] + sum_kk a[aOff + i*lda + kk] * B[kk][j]} for {@code i < m},
     * {@code j < b.columns()}; bias may be null. Parallel over column panels.
     */
    public static void multiply(float[] a, int aOff, int lda, int m, Packed b, float[] bias, float[] c, int cOff, int ldc) {
        int n = b.n, k = b.k;
        if (m < 1) {
            return;
        }
        checkSpan(a.length, aOff, m, k, lda, "A");
        checkSpan(c.length, cOff, m, n, ldc, "C");
        if (bias != null && bias.length < n) {
            throw new IllegalArgumentException("gemm: bias has " + bias.length + " values for " + n + " columns");
        }
        // The register loop only ever sees whole 6 x 16 tiles: a partial last column panel goes through a C of
        // padded width, a partial last row block through zero-padded copies of its rows.
        int width = panels(n) * NR;
        float[] paddedBias = bias == null ? null : java.util.Arrays.copyOf(bias, width);
        boolean direct = width == n;
        float[] t = direct ? c : new float[m * width];
        int tOff = direct ? cOff : 0, ldt = direct ? ldc : width;
        int full = m / MR * MR;
        run(a, aOff, lda, full, b, paddedBias, t, tOff, ldt);
        if (full < m) {
            int rest = m - full;
            float[] aRest = new float[MR * k];
            for (int r = 0; r < rest; r++) {
                System.arraycopy(a, aOff + (full + r) * lda, aRest, r * k, k);
            }
            float[] tRest = new float[MR * width];
            run(aRest, 0, k, MR, b, paddedBias, tRest, 0, width);
            for (int r = 0; r < rest; r++) {
                System.arraycopy(tRest, r * width, t, tOff + (full + r) * ldt, direct ? n : width);
            }
        }
        if (!direct) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(t, r * width, c, cOff + r * ldc, n);
            }
        }
    }

    private static void run(float[] a, int aOff, int lda, int m, Packed b, float[] bias, float[] c, int cOff, int ldc) {
        if (m == 0) {
            return;
        }
        int panels = panels(b.n);
        long flops = 2L * m * b.n * b.k;
        int minPanels = flops < 1 << 21 ? panels : 1;
        Parallel.forRange(panels, minPanels, (p0, p1) -> {
            start(bias, c, cOff, ldc, m, p0, p1);
            tiles(a, aOff, lda, m, b.data, b.k, c, cOff, ldc, p0, p1);
        });
    }

    /** Sets the panels' part of C to the bias (or zero), so the register loop always accumulates onto C. */
    private static void start(float[] bias, float[] c, int cOff, int ldc, int m, int p0, int p1) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (bias == null) {
                java.util.Arrays.fill(c, row + p0 * NR, row + p1 * NR, 0f);
            } else {
                System.arraycopy(bias, p0 * NR, c, row + p0 * NR, (p1 - p0) * NR);
            }
        }
    }

    /**
     * Panels {@code [p0, p1)} for {@code m} rows (a multiple of 6), accumulated onto C (of at least the padded
     * width). One method with no calls and no data-dependent branches inside on purpose: C2 keeps the 12
     * accumulators in registers only in such a loop nest, and a branch first seen late (bias or not, a second depth
     * block) would deoptimize it into the slow non-intrinsic vector path for a while.
     */
    private static void tiles(float[] a, int aOff, int lda, int m, float[] bp, int k, float[] c, int cOff, int ldc,
                              int p0, int p1) {
        for (int k0 = 0; k0 < k; k0 += KC) {
            int k1 = Math.min(k, k0 + KC);
            for (int m0 = 0; m0 < m; m0 += MC) {
            int m1 = Math.min(m, m0 + MC);
            for (int p = p0; p < p1; p++) {
                int j0 = p * NR;
                for (int i0 = m0; i0 < m1; i0 += MR) {
                    int o0 = cOff + i0 * ldc + j0, o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
                    FloatVector c00 = FloatVector.fromArray(S, c, o0), c01 = FloatVector.fromArray(S, c, o0 + L);
                    FloatVector c10 = FloatVector.fromArray(S, c, o1), c11 = FloatVector.fromArray(S, c, o1 + L);
                    FloatVector c20 = FloatVector.fromArray(S, c, o2), c21 = FloatVector.fromArray(S, c, o2 + L);
                    FloatVector c30 = FloatVector.fromArray(S, c, o3), c31 = FloatVector.fromArray(S, c, o3 + L);
                    FloatVector c40 = FloatVector.fromArray(S, c, o4), c41 = FloatVector.fromArray(S, c, o4 + L);
                    FloatVector c50 = FloatVector.fromArray(S, c, o5), c51 = FloatVector.fromArray(S, c, o5 + L);
                    int r0 = aOff + i0 * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                    int bi = p * NR * k + k0 * NR;
                    for (int kk = k0; kk < k1; kk++, bi += NR) {
                        FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                        FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
                        FloatVector x = FloatVector.broadcast(S, a[r0 + kk]);
                        c00 = x.fma(b0, c00);
                        c01 = x.fma(b1, c01);
                        x = FloatVector.broadcast(S, a[r1 + kk]);
                        c10 = x.fma(b0, c10);
                        c11 = x.fma(b1, c11);
                        x = FloatVector.broadcast(S, a[r2 + kk]);
                        c20 = x.fma(b0, c20);
                        c21 = x.fma(b1, c21);
                        x = FloatVector.broadcast(S, a[r3 + kk]);
                        c30 = x.fma(b0, c30);
                        c31 = x.fma(b1, c31);
                        x = FloatVector.broadcast(S, a[r4 + kk]);
                        c40 = x.fma(b0, c40);
                        c41 = x.fma(b1, c41);
                        x = FloatVector.broadcast(S, a[r5 + kk]);
                        c50 = x.fma(b0, c50);
                        c51 = x.fma(b1, c51);
                    }
                    c00.intoArray(c, o0);
                    c01.intoArray(c, o0 + L);
                    c10.intoArray(c, o1);
                    c11.intoArray(c, o1 + L);
                    c20.intoArray(c, o2);
                    c21.intoArray(c, o2 + L);
                    c30.intoArray(c, o3);
                    c31.intoArray(c, o3 + L);
                    c40.intoArray(c, o4);
                    c41.intoArray(c, o4 + L);
                    c50.intoArray(c, o5);
                    c51.intoArray(c, o5 + L);
                }
            }
            }
        }
    }

    private static void checkSpan(int length, int offset, int rows, int cols, int ld, String what) {
        if (offset < 0 || rows < 0 || cols < 0 || ld < 0 || (rows > 0 && (long) offset + (long) (rows - 1) * ld + cols > length)) {
            throw new IllegalArgumentException("gemm: " + what + " of " + length + " floats is too small for " + rows
                    + " x " + cols + " from " + offset + " with stride " + ld);
        }
    }
}
