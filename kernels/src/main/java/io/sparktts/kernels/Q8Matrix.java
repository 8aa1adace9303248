package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0 weights: each row is cut into blocks of {@value #BLOCK} values stored as signed bytes {@code q} with one
 * float16 scale {@code d} per block (value = q * d). Quants and scales are separate contiguous arrays.
 */
final class Q8Matrix extends WeightMatrix {
    static final int BLOCK = 32;
    private final MemorySegment quants;
    private final MemorySegment scales;
    private final int blocksPerRow;

    Q8Matrix(MemorySegment quants, MemorySegment scales, int rows, int cols) {
        super(rows, cols);
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q8_0 needs a column count divisible by " + BLOCK + ", not " + cols);
        }
        requireSize(quants, (long) rows * cols, "Q8_0 quants", rows, cols);
        requireSize(scales, (long) rows * cols / BLOCK * 2, "Q8_0 scales", rows, cols);
        this.quants = quants;
        this.scales = scales;
        this.blocksPerRow = cols / BLOCK;
    }

    /**
     * Quantizes any matrix: per block, {@code d = max|v| / 127} rounded to float16, then {@code q = round(v / d)}
     * (half away from zero) with the rounded {@code d}, so the stored scale is the one the quants were made with.
     */
    static Q8Matrix quantize(WeightMatrix source) {
        int rows = source.rows, cols = source.cols;
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q8_0 needs a column count divisible by " + BLOCK + ", not " + cols);
        }
        MemorySegment quants = allocate((long) rows * cols);
        MemorySegment scales = allocate((long) rows * cols / BLOCK * 2);
        Parallel.forRange(rows, 64, (from, to) -> {
            float[] v = new float[cols];
            for (int r = from; r < to; r++) {
                source.row(r, v, 0);
                for (int b = 0; b < cols / BLOCK; b++) {
                    float max = 0;
                    for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
                        max = Math.max(max, Math.abs(v[i]));
                    }
                    short d16 = Float.floatToFloat16(max / 127f);
                    float d = Float.float16ToFloat(d16);
                    if (!Float.isFinite(d)) {
                        throw new IllegalArgumentException("row " + r + " block " + b + ": largest magnitude " + max
                                + " has no finite Q8_0 scale");
                    }
                    float inverse = d == 0 ? 0 : 1 / d;
                    long base = (long) r * cols;
                    for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
                        float q = v[i] * inverse;
                        int rounded = (int) (q + Math.copySign(0.5f, q));
                        quants.set(ValueLayout.JAVA_BYTE, base + i, (byte) Math.max(-127, Math.min(127, rounded)));
                    }
                    scales.set(Lanes.SHORT, ((long) r * (cols / BLOCK) + b) * 2, d16);
                }
            }
        });
        return new Q8Matrix(quants, scales, rows, cols);
    }

    @Override
    public WeightFormat format() {
        return WeightFormat.Q8_0;
    }

    @Override
    public long byteSize() {
        return (long) rows * cols + (long) rows * blocksPerRow * 2;
    }

    @Override
    public void row(int r, float[] out, int off) {
        long base = (long) r * cols;
        for (int b = 0; b < blocksPerRow; b++) {
            FloatVector d = FloatVector.broadcast(F, scale(r, b));
            for (int j = 0; j < BLOCK; j += L) {
                Lanes.q8(quants, base + b * BLOCK + j).mul(d).intoArray(out, off + b * BLOCK + j);
            }
        }
    }

    private float scale(int r, int b) {
        return Float.float16ToFloat(scales.get(Lanes.SHORT, ((long) r * blocksPerRow + b) * 2));
    }

    /** Per block, the dot of widened quants with the input, then scaled once: four rows at a time. */
    @Override
    void dotRows(float[] x, int xOff, int from, int to, float[] out, int outOff) {
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long q0 = (long) r * cols, q1 = q0 + cols, q2 = q1 + cols, q3 = q2 + cols;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0; b < blocksPerRow; b++) {
                int i = b * BLOCK;
                FloatVector p0 = FloatVector.zero(F), p1 = p0, p2 = p0, p3 = p0;
                for (int j = 0; j < BLOCK; j += L) {
                    FloatVector xv = FloatVector.fromArray(F, x, xOff + i + j);
                    p0 = Lanes.q8(quants, q0 + i + j).fma(xv, p0);
                    p1 = Lanes.q8(quants, q1 + i + j).fma(xv, p1);
                    p2 = Lanes.q8(quants, q2 + i + j).fma(xv, p2);
                    p3 = Lanes.q8(quants, q3 + i + j).fma(xv, p3);
                }
                a0 = p0.fma(FloatVector.broadcast(F, scale(r, b)), a0);
                a1 = p1.fma(FloatVector.broadcast(F, scale(r + 1, b)), a1);
                a2 = p2.fma(FloatVector.broadcast(F, scale(r + 2, b)), a2);
                a3 = p3.fma(FloatVector.broadcast(F, scale(r + 3, b)), a3);
            }
            int at = outOff + r - from;
            out[at] = a0.reduceLanes(VectorOperators.ADD);
            out[at + 1] = a1.reduceLanes(VectorOperators.ADD);
            out[at + 2] = a2.reduceLanes(VectorOperators.ADD);
            out[at + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        for (; r < to; r++) {
            long q = (long) r * cols;
            FloatVector a = FloatVector.zero(F);
            for (int b = 0; b < blocksPerRow; b++) {
                int i = b * BLOCK;
                FloatVector p = FloatVector.zero(F);
                for (int j = 0; j < BLOCK; j += L) {
                    p = Lanes.q8(quants, q + i + j).fma(FloatVector.fromArray(F, x, xOff + i + j), p);
                }
                a = p.fma(FloatVector.broadcast(F, scale(r, b)), a);
            }
            out[outOff + r - from] = a.reduceLanes(VectorOperators.ADD);
        }
    }
}
