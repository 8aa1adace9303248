package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0 weights: each row is cut into blocks of {@value #BLOCK} values stored as signed bytes {@code q} with one
 * float16 scale {@code d} per block (value = q * d). Quants and scales are separate Java arrays: this format is
 * always made here by quantizing, and heap arrays let the JIT drop the per-load bounds checks that memory segment
 * loads keep in the integer kernel (about a quarter faster).
 */
final class Q8Matrix extends WeightMatrix {
    static final int BLOCK = 32;
    private final byte[] quants;
    private final short[] scales;
    private final int blocksPerRow;

    private Q8Matrix(byte[] quants, short[] scales, int rows, int cols) {
        super(rows, cols);
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
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("[" + rows + ", " + cols + "] has too many values for a Q8_0 matrix");
        }
        byte[] quants = new byte[rows * cols];
        short[] scales = new short[rows * (cols / BLOCK)];
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
                    int base = r * cols;
                    for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
                        float q = v[i] * inverse;
                        int rounded = (int) (q + Math.copySign(0.5f, q));
                        quants[base + i] = (byte) Math.max(-127, Math.min(127, rounded));
                    }
                    scales[r * (cols / BLOCK) + b] = d16;
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
        return (long) quants.length + 2L * scales.length;
    }

    @Override
    public void row(int r, float[] out, int off) {
        int base = r * cols;
        for (int b = 0; b < blocksPerRow; b++) {
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(scales[r * blocksPerRow + b]));
            for (int j = 0; j < BLOCK; j += L) {
                Lanes.q8(quants, base + b * BLOCK + j).mul(d).intoArray(out, off + b * BLOCK + j);
            }
        }
    }

    /**
     * Integer dot products with the input quantized the same way ({@link QuantizedVector}): per block, the quants are
     * widened to 16 bits and multiplied by the input's (products fit 16 bits, and so does the sum of two), adjacent
     * lanes are added into 32-bit sums, and those are scaled by the two block scales into a float accumulator.
     * Two rows at a time share the input loads; they are taken from the two halves of the range, so that memory is
     * read as two long sequential streams, which the hardware prefetcher follows (adjacent rows read as short
     * interleaved runs stream at less than half the speed).
     */
    @Override
    void dotRows(float[] x, QuantizedVector xq, int from, int to, float[] out, int outOff) {
        short[] q = xq.quants;
        float[] xs = xq.scales;
        int half = (to - from) / 2;
        for (int r = from; r < from + half; r++) {
            int r1 = r + half;
            int q0 = r * cols, q1 = r1 * cols;
            int s0 = r * blocksPerRow, s1 = r1 * blocksPerRow;
            FloatVector a0 = FloatVector.zero(Lanes.QF), a1 = a0;
            for (int b = 0; b < blocksPerRow; b++) {
                int i = b * BLOCK;
                IntVector p0 = IntVector.zero(Lanes.QI), p1 = p0;
                for (int j = 0; j < BLOCK; j += 2 * Lanes.WIDE) {
                    ShortVector x0 = ShortVector.fromArray(Lanes.QS, q, i + j);
                    ShortVector x1 = ShortVector.fromArray(Lanes.QS, q, i + j + Lanes.WIDE);
                    p0 = p0.add(Lanes.pairSums(Lanes.q8Wide(quants, q0 + i + j).mul(x0).add(Lanes.q8Wide(quants, q0 + i + j + Lanes.WIDE).mul(x1))));
                    p1 = p1.add(Lanes.pairSums(Lanes.q8Wide(quants, q1 + i + j).mul(x0).add(Lanes.q8Wide(quants, q1 + i + j + Lanes.WIDE).mul(x1))));
                }
                float d = xs[b];
                a0 = ((FloatVector) p0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(Lanes.QF, d * Float.float16ToFloat(scales[s0 + b])), a0);
                a1 = ((FloatVector) p1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(Lanes.QF, d * Float.float16ToFloat(scales[s1 + b])), a1);
            }
            out[outOff + r - from] = a0.reduceLanes(VectorOperators.ADD);
            out[outOff + r1 - from] = a1.reduceLanes(VectorOperators.ADD);
        }
        if ((to - from) % 2 != 0) {
            int r = to - 1;
            int q0 = r * cols, s0 = r * blocksPerRow;
            FloatVector a0 = FloatVector.zero(Lanes.QF);
            for (int b = 0; b < blocksPerRow; b++) {
                int i = b * BLOCK;
                IntVector p0 = IntVector.zero(Lanes.QI);
                for (int j = 0; j < BLOCK; j += 2 * Lanes.WIDE) {
                    p0 = p0.add(Lanes.pairSums(Lanes.q8Wide(quants, q0 + i + j).mul(ShortVector.fromArray(Lanes.QS, q, i + j))
                            .add(Lanes.q8Wide(quants, q0 + i + j + Lanes.WIDE).mul(ShortVector.fromArray(Lanes.QS, q, i + j + Lanes.WIDE)))));
                }
                a0 = ((FloatVector) p0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(Lanes.QF, xs[b] * Float.float16ToFloat(scales[s0 + b])), a0);
            }
            out[outOff + r - from] = a0.reduceLanes(VectorOperators.ADD);
        }
    }

    @Override
    boolean needsQuantizedInput() {
        return true;
    }
}
