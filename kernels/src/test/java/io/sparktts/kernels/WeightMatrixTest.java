package io.sparktts.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightMatrixTest {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Shapes with odd row counts (tails of the 4-row loops) and, except for Q8_0, odd column counts. */
    private static final int[][] SHAPES = {{1, 32}, {5, 64}, {7, 96}, {37, 160}, {130, 896}};
    private static final int[][] ODD_SHAPES = {{3, 1}, {6, 13}, {9, 33}, {11, 70}};

    static MemorySegment f32Segment(float[] v) {
        MemorySegment m = Arena.ofAuto().allocate(4L * v.length, 4);
        for (int i = 0; i < v.length; i++) m.setAtIndex(FLOAT, i, v[i]);
        return m;
    }

    static float[] random(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    /** Scalar twin of bfloat16 rounding: nearest, ties to even. */
    static float roundBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int lower = bits & 0xffff;
        int upper = bits & 0xffff0000;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 0x10000) != 0)) upper += 0x10000;
        return Float.intBitsToFloat(upper);
    }

    /** Scalar twin of Q8_0: per 32-block scale max/127 as float16, quants rounded half away from zero. */
    static float[] dequantizedQ8(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < cols / 32; b++) {
                int at = r * cols + b * 32;
                float max = 0;
                for (int i = 0; i < 32; i++) max = Math.max(max, Math.abs(v[at + i]));
                float d = Float.float16ToFloat(Float.floatToFloat16(max / 127f));
                for (int i = 0; i < 32; i++) {
                    long q = d == 0 ? 0 : Math.round(Math.abs(v[at + i] / d)) * (long) Math.signum(v[at + i]);
                    out[at + i] = Math.max(-127, Math.min(127, q)) * d;
                }
            }
        }
        return out;
    }

    /** The values the matrix in {@code format} should hold, computed by the scalar twins. */
    static float[] expectedValues(float[] v, WeightFormat format, int rows, int cols) {
        float[] e = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = switch (format) {
                case F32 -> v[i];
                case BF16 -> roundBf16(v[i]);
                case F16 -> Float.float16ToFloat(Float.floatToFloat16(v[i]));
                case Q8_0 -> 0;
            };
        }
        return format == WeightFormat.Q8_0 ? dequantizedQ8(v, rows, cols) : e;
    }

    /**
     * Scalar twin of the input quantization of Q8_0 matrix-vector products: per 32-block, scale max|x|/127, values
     * rounded half away from zero; returns the values the integer products see ({@code q * d}).
     */
    static float[] quantizedInput(float[] x) {
        float[] out = new float[x.length];
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[b * 32 + i]));
            float inverse = amax == 0 ? 0 : 127f / amax, d = amax / 127f;
            for (int i = 0; i < 32; i++) {
                float v = x[b * 32 + i] * inverse;
                out[b * 32 + i] = (int) (v + (v < 0 ? -0.5f : 0.5f)) * d;
            }
        }
        return out;
    }

    static double dot(float[] w, int row, int cols, float[] x, int xo) {
        double s = 0;
        for (int i = 0; i < cols; i++) s += (double) w[row * cols + i] * x[xo + i];
        return s;
    }

    static void assertClose(double want, float got, int cols, String what) {
        assertEquals(want, got, 2e-6 * Math.sqrt(cols) * (1 + Math.abs(want)), what);
    }

    @Test
    void everyFormatMatchesItsScalarTwin() {
        Random r = new Random(11);
        for (WeightFormat format : WeightFormat.values()) {
            for (int[] shape : format == WeightFormat.Q8_0 ? SHAPES : concat(SHAPES, ODD_SHAPES)) {
                int rows = shape[0], cols = shape[1];
                float[] v = random(r, rows * cols, 0.5);
                WeightMatrix m = WeightMatrix.of(WeightFormat.F32, f32Segment(v), rows, cols).convert(format);
                String name = format + " [" + rows + ", " + cols + "]";
                assertEquals(format, m.format());
                float[] e = expectedValues(v, format, rows, cols);

                float[] row = new float[cols + 3];
                for (int i = 0; i < rows; i++) {
                    m.row(i, row, 3);
                    for (int j = 0; j < cols; j++) {
                        assertEquals(e[i * cols + j], row[3 + j], 0f, name + " value " + i + "," + j);
                    }
                }

                float[] x = random(r, cols, 1);
                float[] seen = format == WeightFormat.Q8_0 ? quantizedInput(x) : x;
                float[] y = new float[rows];
                m.multiply(x, y);
                for (int i = 0; i < rows; i++) assertClose(dot(e, i, cols, seen, 0), y[i], cols, name + " mat-vec row " + i);

                int[] ids = new int[Math.min(rows, 9)];
                for (int k = 0; k < ids.length; k++) ids[k] = k < 5 ? k : r.nextInt(rows);
                ids[ids.length - 1] = rows - 1;
                float[] sub = new float[ids.length];
                m.multiplyRows(x, ids, sub);
                for (int k = 0; k < ids.length; k++) assertClose(dot(e, ids[k], cols, seen, 0), sub[k], cols, name + " subset " + k);

                for (int tokens : new int[] {1, 2, 5}) {
                    float[] xs = random(r, tokens * cols, 1);
                    float[] ys = new float[tokens * rows];
                    m.multiply(xs, tokens, ys);
                    for (int t = 0; t < tokens; t++) {
                        for (int i = 0; i < rows; i++) {
                            assertClose(dot(e, i, cols, xs, t * cols), ys[t * rows + i], cols, name + " mat-mat t" + t + " row " + i);
                        }
                    }
                }
            }
        }
    }

    /** Quantizing the input costs little accuracy: the Q8_0 product stays near the exact float product. */
    @Test
    void q8ProductStaysNearTheExactProduct() {
        Random r = new Random(8);
        int rows = 64, cols = 896;
        float[] v = random(r, rows * cols, 0.05);
        float[] x = random(r, cols, 1);
        WeightMatrix q = WeightMatrix.of(WeightFormat.F32, f32Segment(v), rows, cols).convert(WeightFormat.Q8_0);
        float[] y = new float[rows];
        q.multiply(x, y);
        double worst = 0, norm = 0;
        for (int i = 0; i < rows; i++) {
            double exact = dot(v, i, cols, x, 0);
            worst = Math.max(worst, Math.abs(exact - y[i]));
            norm = Math.max(norm, Math.abs(exact));
        }
        assertTrue(worst < 0.01 * norm, "Q8_0 error " + worst + " for products up to " + norm);
    }

    @Test
    void fusedProductEqualsSeparateProducts() {
        Random r = new Random(5);
        int cols = 96;
        int[] rows = {40, 8, 8};
        WeightMatrix[] mats = new WeightMatrix[3];
        float[][] outs = new float[3][];
        for (int m = 0; m < 3; m++) {
            mats[m] = WeightMatrix.of(WeightFormat.F32, f32Segment(random(r, rows[m] * cols, 1)), rows[m], cols).convert(WeightFormat.Q8_0);
            outs[m] = new float[rows[m]];
        }
        float[] x = random(r, cols, 1);
        WeightMatrix.multiply(x, mats, outs);
        for (int m = 0; m < 3; m++) {
            float[] alone = new float[rows[m]];
            mats[m].multiply(x, alone);
            for (int i = 0; i < rows[m]; i++) assertEquals(alone[i], outs[m][i], 0f, "matrix " + m + " row " + i);
        }
    }

    @Test
    void float16LanesDecodeEveryBitPattern() {
        MemorySegment m = Arena.ofAuto().allocate(2 * 65536, 2);
        for (int i = 0; i < 65536; i++) m.setAtIndex(SHORT, i, (short) i);
        float[] out = new float[65536];
        WeightMatrix.of(WeightFormat.F16, m, 1, 65536).row(0, out, 0);
        for (int i = 0; i < 65536; i++) {
            float want = Float.float16ToFloat((short) i);
            if (Float.isNaN(want)) {
                assertTrue(Float.isNaN(out[i]), "bits " + i);
            } else {
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[i]), "bits " + Integer.toHexString(i));
            }
        }
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        float[] v = {1f, Float.intBitsToFloat(0x3f808000), Float.intBitsToFloat(0x3f818000), Float.intBitsToFloat(0x3f808001),
                -2.5e-3f, 65504f, Float.MIN_VALUE, Float.POSITIVE_INFINITY};
        float[] out = new float[v.length];
        WeightMatrix.of(WeightFormat.F32, f32Segment(v), 1, v.length).convert(WeightFormat.BF16).row(0, out, 0);
        for (int i = 0; i < v.length; i++) assertEquals(roundBf16(v[i]), out[i], 0f, "value " + v[i]);
        assertEquals(1f, out[1], 0f, "a tie rounds to the even neighbour below");
        assertEquals(Float.intBitsToFloat(0x3f820000), out[2], 0f, "a tie rounds to the even neighbour above");
    }

    @Test
    void q8ErrorIsAtMostHalfAStep() {
        Random r = new Random(3);
        float[] v = random(r, 4 * 64, 2);
        float[] out = new float[64];
        WeightMatrix q = WeightMatrix.of(WeightFormat.F32, f32Segment(v), 4, 64).convert(WeightFormat.Q8_0);
        assertEquals(4 * 64 + 4 * 2 * 2, q.byteSize());
        for (int row = 0; row < 4; row++) {
            q.row(row, out, 0);
            for (int b = 0; b < 2; b++) {
                float max = 0;
                for (int i = 0; i < 32; i++) max = Math.max(max, Math.abs(v[row * 64 + b * 32 + i]));
                for (int i = 0; i < 32; i++) {
                    assertTrue(Math.abs(out[b * 32 + i] - v[row * 64 + b * 32 + i]) <= max / 127 * 0.502f, "row " + row + " " + i);
                }
            }
        }
    }

    @Test
    void badShapesAndArgumentsAreRefused() {
        MemorySegment small = Arena.ofAuto().allocate(16);
        assertEquals("F32 data of 16 bytes is too small for [2, 3] (24 bytes)",
                assertThrows(IllegalArgumentException.class, () -> WeightMatrix.of(WeightFormat.F32, small, 2, 3)).getMessage());
        WeightMatrix m = WeightMatrix.of(WeightFormat.F32, small, 2, 2);
        assertEquals("Q8_0 needs a column count divisible by 32, not 2",
                assertThrows(IllegalArgumentException.class, () -> m.convert(WeightFormat.Q8_0)).getMessage());
        assertEquals("row id 2 at 1 is outside 0..1",
                assertThrows(IllegalArgumentException.class, () -> m.multiplyRows(new float[2], new int[] {0, 2}, new float[2])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.multiply(new float[1], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> m.multiply(new float[4], 3, new float[6]));
    }

    private static int[][] concat(int[][] a, int[][] b) {
        int[][] c = new int[a.length + b.length][];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
