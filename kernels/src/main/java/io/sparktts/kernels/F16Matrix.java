package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** float16 weights, widened to floats lane by lane. */
final class F16Matrix extends WeightMatrix {
    private static final int BYTES = 2;
    private final MemorySegment data;

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(rows, cols);
        requireSize(data, (long) rows * cols * BYTES, "F16 data", rows, cols);
        this.data = data;
    }

    @Override
    public WeightFormat format() {
        return WeightFormat.F16;
    }

    @Override
    public long byteSize() {
        return (long) rows * cols * BYTES;
    }

    @Override
    public void row(int r, float[] out, int off) {
        long base = (long) r * cols * BYTES;
        int upper = F.loopBound(cols);
        int i = 0;
        for (; i < upper; i += L) {
            Lanes.f16(data, base + (long) BYTES * i).intoArray(out, off + i);
        }
        for (; i < cols; i++) {
            out[off + i] = value(base + (long) BYTES * i);
        }
    }

    /**
     * Four rows at a time, so each input vector loaded serves four rows; the rows come from the four quarters of the
     * range, so memory is read as four long sequential streams that the hardware prefetcher follows.
     */
    @Override
    void dotRows(float[] x, QuantizedVector unused, int from, int to, float[] out, int outOff) {
        int upper = F.loopBound(cols);
        long rowBytes = (long) cols * BYTES;
        int quarter = (to - from) / 4;
        for (int r = from; r < from + quarter; r++) {
            long b0 = r * rowBytes, b1 = b0 + quarter * rowBytes, b2 = b1 + quarter * rowBytes, b3 = b2 + quarter * rowBytes;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector xv = FloatVector.fromArray(F, x, i);
                long o = (long) BYTES * i;
                a0 = Lanes.f16(data, b0 + o).fma(xv, a0);
                a1 = Lanes.f16(data, b1 + o).fma(xv, a1);
                a2 = Lanes.f16(data, b2 + o).fma(xv, a2);
                a3 = Lanes.f16(data, b3 + o).fma(xv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                float xi = x[i];
                long o = (long) BYTES * i;
                s0 += value(b0 + o) * xi;
                s1 += value(b1 + o) * xi;
                s2 += value(b2 + o) * xi;
                s3 += value(b3 + o) * xi;
            }
            int at = outOff + r - from;
            out[at] = s0;
            out[at + quarter] = s1;
            out[at + 2 * quarter] = s2;
            out[at + 3 * quarter] = s3;
        }
        for (int r = from + 4 * quarter; r < to; r++) {
            long b = r * rowBytes;
            FloatVector a = FloatVector.zero(F);
            int i = 0;
            for (; i < upper; i += L) {
                a = Lanes.f16(data, b + (long) BYTES * i).fma(FloatVector.fromArray(F, x, i), a);
            }
            float s = a.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                s += value(b + (long) BYTES * i) * x[i];
            }
            out[outOff + r - from] = s;
        }
    }

    private float value(long byteOffset) {
        return Float.float16ToFloat(data.get(Lanes.SHORT, byteOffset));
    }
}
