package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A row-major {@code [rows, cols]} weight matrix in one {@link WeightFormat}, multiplied by float activations:
 * matrix-vector for decoding, matrix-matrix for a prompt, and a row subset for a restricted output layer.
 * Immutable and thread-safe; float formats live in a memory segment (a memory map used in place, or a copy off the
 * Java heap made by {@link #convert}), Q8_0 in Java arrays.
 */
public abstract sealed class WeightMatrix permits F32Matrix, BF16Matrix, F16Matrix, Q8Matrix {

    /** Weights per thread below which a product stays on the caller's thread. */
    private static final int MIN_WEIGHTS_PER_THREAD = 1 << 15;
    /** Rows dequantized at once for a matrix-matrix product (the register tile's height). */
    private static final int TILE_ROWS = 4;
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    final int rows;
    final int cols;

    WeightMatrix(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape [" + rows + ", " + cols + "] must be positive");
        }
        this.rows = rows;
        this.cols = cols;
    }

    /** A view of float32, bfloat16 or float16 values in place (no copy); {@code data} must hold rows*cols values. */
    public static WeightMatrix of(WeightFormat format, MemorySegment data, int rows, int cols) {
        return switch (format) {
            case F32 -> new F32Matrix(data, rows, cols);
            case BF16 -> new BF16Matrix(data, rows, cols);
            case F16 -> new F16Matrix(data, rows, cols);
            case Q8_0 -> throw new IllegalArgumentException("Q8_0 matrices are made by convert(WeightFormat.Q8_0)");
        };
    }

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    public abstract WeightFormat format();

    /** Bytes read by one full product: the size of the weights in memory. */
    public abstract long byteSize();

    /** Row {@code r} as floats into {@code out[off .. off+cols)}. */
    public abstract void row(int r, float[] out, int off);

    /**
     * {@code out[outOff + r - from] = row(r) . x} for rows {@code [from, to)}, on this thread; {@code xq} is {@code x}
     * quantized when {@link #needsQuantizedInput()}, else null.
     */
    abstract void dotRows(float[] x, QuantizedVector xq, int from, int to, float[] out, int outOff);

    /** Whether products take the input quantized ({@link QuantizedVector}) rather than as floats. */
    boolean needsQuantizedInput() {
        return false;
    }

    private QuantizedVector prepare(float[] x) {
        return needsQuantizedInput() ? QuantizedVector.of(x, cols) : null;
    }

    /** A copy in {@code target} format in fresh memory (values rounded to nearest, or quantized). */
    public final WeightMatrix convert(WeightFormat target) {
        if (target == WeightFormat.Q8_0) {
            return Q8Matrix.quantize(this);
        }
        int bytesPer = target == WeightFormat.F32 ? 4 : 2;
        MemorySegment data = allocate((long) rows * cols * bytesPer);
        Parallel.forRange(rows, 64, (from, to) -> {
            float[] buffer = new float[cols];
            for (int r = from; r < to; r++) {
                row(r, buffer, 0);
                long base = (long) r * cols * bytesPer;
                for (int i = 0; i < cols; i++) {
                    switch (target) {
                        case F32 -> data.set(Lanes.FLOAT, base + 4L * i, buffer[i]);
                        case BF16 -> data.set(Lanes.SHORT, base + 2L * i, toBFloat16(buffer[i]));
                        default -> data.set(Lanes.SHORT, base + 2L * i, Float.floatToFloat16(buffer[i]));
                    }
                }
            }
        });
        return of(target, data, rows, cols);
    }

    /** {@code out[r] = row(r) . x} for every row: a matrix-vector product, split over threads. */
    public final void multiply(float[] x, float[] out) {
        checkVector(x, out, rows);
        QuantizedVector xq = prepare(x);
        Parallel.forRange(rows, minRowsPerThread(), (from, to) -> dotRows(x, xq, from, to, out, from));
    }

    /**
     * {@code out[i] = row(rowIds[i]) . x}: only the listed rows, e.g. the allowed tokens of an output layer. Runs of
     * consecutive ids are computed like a full product.
     */
    public final void multiplyRows(float[] x, int[] rowIds, float[] out) {
        checkVector(x, out, rowIds.length);
        for (int i = 0; i < rowIds.length; i++) {
            if (rowIds[i] < 0 || rowIds[i] >= rows) {
                throw new IllegalArgumentException("row id " + rowIds[i] + " at " + i + " is outside 0.." + (rows - 1));
            }
        }
        QuantizedVector xq = prepare(x);
        Parallel.forRange(rowIds.length, minRowsPerThread(), (from, to) -> {
            int i = from;
            while (i < to) {
                int run = i + 1;
                while (run < to && rowIds[run] == rowIds[run - 1] + 1) {
                    run++;
                }
                dotRows(x, xq, rowIds[i], rowIds[i] + run - i, out, i);
                i = run;
            }
        });
    }

    /**
     * {@code out[t*rows + r] = row(r) . x[t*cols ..]} for {@code t < tokens}: a matrix-matrix product. Rows are
     * widened to floats a few at a time and each serves every token from registers.
     */
    public final void multiply(float[] x, int tokens, float[] out) {
        if (tokens <= 0 || x.length < (long) tokens * cols || out.length < (long) tokens * rows) {
            throw new IllegalArgumentException("matrix-matrix [" + rows + ", " + cols + "] x " + tokens
                    + " tokens: arrays of " + x.length + " and " + out.length + " floats are too small");
        }
        int tiles = (rows + TILE_ROWS - 1) / TILE_ROWS;
        int minTiles = Math.max(1, MIN_WEIGHTS_PER_THREAD / (TILE_ROWS * cols * tokens));
        Parallel.forRange(tiles, minTiles, (from, to) -> {
            float[] w = TILE.get();
            if (w.length < TILE_ROWS * cols) {
                w = new float[TILE_ROWS * cols];
                TILE.set(w);
            }
            for (int tile = from; tile < to; tile++) {
                int r0 = tile * TILE_ROWS;
                int nr = Math.min(TILE_ROWS, rows - r0);
                for (int j = 0; j < nr; j++) {
                    row(r0 + j, w, j * cols);
                }
                tile(w, nr, cols, x, tokens, out, rows, r0);
            }
        });
    }

    /**
     * Matrix-vector products of several matrices with the same input (e.g. query, key and value projections) in
     * one parallel pass over all their rows: {@code outs[m][r] = mats[m].row(r) . x}.
     */
    public static void multiply(float[] x, WeightMatrix[] mats, float[][] outs) {
        if (mats.length != outs.length || mats.length == 0) {
            throw new IllegalArgumentException(mats.length + " matrices for " + outs.length + " outputs");
        }
        int total = 0;
        for (int m = 0; m < mats.length; m++) {
            if (mats[m].cols != mats[0].cols) {
                throw new IllegalArgumentException("matrix " + m + " has " + mats[m].cols + " columns, matrix 0 has " + mats[0].cols);
            }
            mats[m].checkVector(x, outs[m], mats[m].rows);
            total += mats[m].rows;
        }
        QuantizedVector xq = null;
        for (WeightMatrix m : mats) {
            if (m.needsQuantizedInput()) {
                xq = QuantizedVector.of(x, m.cols);
                break;
            }
        }
        QuantizedVector quantized = xq;
        Parallel.forRange(total, mats[0].minRowsPerThread(), (from, to) -> {
            int base = 0;
            for (int m = 0; m < mats.length && base < to; m++) {
                int lo = Math.max(from, base) - base;
                int hi = Math.min(to, base + mats[m].rows) - base;
                if (lo < hi) {
                    mats[m].dotRows(x, quantized, lo, hi, outs[m], lo);
                }
                base += mats[m].rows;
            }
        });
    }

    private int minRowsPerThread() {
        return Math.max(1, MIN_WEIGHTS_PER_THREAD / cols);
    }

    private void checkVector(float[] x, float[] out, int outLength) {
        if (x.length < cols || out.length < outLength) {
            throw new IllegalArgumentException("matrix-vector [" + rows + ", " + cols + "]: input of " + x.length
                    + " or output of " + out.length + " floats is too small");
        }
    }

    /** Register tile: up to four widened rows of {@code w} against two tokens at a time. */
    private static void tile(float[] w, int nr, int cols, float[] x, int tokens, float[] out, int outRows, int r0) {
        int upper = F.loopBound(cols);
        int w0 = 0, w1 = Math.min(1, nr - 1) * cols, w2 = Math.min(2, nr - 1) * cols, w3 = Math.min(3, nr - 1) * cols;
        for (int t = 0; t < tokens; t += 2) {
            int xa = t * cols, xb = Math.min(t + 1, tokens - 1) * cols;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector va = FloatVector.fromArray(F, x, xa + i);
                FloatVector vb = FloatVector.fromArray(F, x, xb + i);
                FloatVector u = FloatVector.fromArray(F, w, w0 + i);
                a0 = u.fma(va, a0);
                b0 = u.fma(vb, b0);
                u = FloatVector.fromArray(F, w, w1 + i);
                a1 = u.fma(va, a1);
                b1 = u.fma(vb, b1);
                u = FloatVector.fromArray(F, w, w2 + i);
                a2 = u.fma(va, a2);
                b2 = u.fma(vb, b2);
                u = FloatVector.fromArray(F, w, w3 + i);
                a3 = u.fma(va, a3);
                b3 = u.fma(vb, b3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            float s4 = b0.reduceLanes(VectorOperators.ADD), s5 = b1.reduceLanes(VectorOperators.ADD);
            float s6 = b2.reduceLanes(VectorOperators.ADD), s7 = b3.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                s0 += w[w0 + i] * x[xa + i];
                s1 += w[w1 + i] * x[xa + i];
                s2 += w[w2 + i] * x[xa + i];
                s3 += w[w3 + i] * x[xa + i];
                s4 += w[w0 + i] * x[xb + i];
                s5 += w[w1 + i] * x[xb + i];
                s6 += w[w2 + i] * x[xb + i];
                s7 += w[w3 + i] * x[xb + i];
            }
            store(out, t * outRows + r0, nr, s0, s1, s2, s3);
            if (t + 1 < tokens) {
                store(out, (t + 1) * outRows + r0, nr, s4, s5, s6, s7);
            }
        }
    }

    private static void store(float[] out, int at, int n, float s0, float s1, float s2, float s3) {
        out[at] = s0;
        if (n > 1) out[at + 1] = s1;
        if (n > 2) out[at + 2] = s2;
        if (n > 3) out[at + 3] = s3;
    }

    /** Memory for a converted matrix: off the Java heap, freed when the matrix is unreachable. */
    static MemorySegment allocate(long bytes) {
        return Arena.ofAuto().allocate(bytes, 64);
    }

    static void requireSize(MemorySegment m, long bytes, String what, int rows, int cols) {
        if (m.byteSize() < bytes) {
            throw new IllegalArgumentException(what + " of " + m.byteSize() + " bytes is too small for [" + rows + ", "
                    + cols + "] (" + bytes + " bytes)");
        }
    }

    /** Round-to-nearest-even float to bfloat16, as PyTorch's {@code .to(torch.bfloat16)}; NaN stays NaN. */
    static short toBFloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
