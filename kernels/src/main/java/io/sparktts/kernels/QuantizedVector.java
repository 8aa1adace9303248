package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * An activation vector quantized like Q8_0 weights, for integer dot products with them: per block of
 * {@value Q8Matrix#BLOCK} values, {@code d = max|x| / 127} and {@code q = round(x / d)} (half away from zero), kept
 * as shorts so they load straight into 16-bit lanes. One buffer per calling thread, reused across products.
 */
final class QuantizedVector {
    private static final ThreadLocal<QuantizedVector> PER_THREAD = ThreadLocal.withInitial(QuantizedVector::new);

    short[] quants = new short[0];
    float[] scales = new float[0];

    /** This thread's buffer holding {@code x[0 .. n)} quantized; valid until this thread quantizes again. */
    static QuantizedVector of(float[] x, int n) {
        QuantizedVector v = PER_THREAD.get();
        v.quantize(x, n);
        return v;
    }

    void quantize(float[] x, int n) {
        if (quants.length < n) {
            quants = new short[n];
            scales = new float[n / Q8Matrix.BLOCK];
        }
        for (int b = 0; b < n / Q8Matrix.BLOCK; b++) {
            int base = b * Q8Matrix.BLOCK;
            FloatVector max = FloatVector.zero(F);
            for (int j = 0; j < Q8Matrix.BLOCK; j += L) {
                max = max.max(FloatVector.fromArray(F, x, base + j).abs());
            }
            float amax = max.reduceLanes(VectorOperators.MAX);
            float d = amax / 127f;
            float inverse = amax == 0 ? 0 : 127f / amax;
            scales[b] = d;
            for (int j = 0; j < Q8Matrix.BLOCK; j += L) {
                FloatVector v = FloatVector.fromArray(F, x, base + j).mul(inverse);
                FloatVector half = FloatVector.broadcast(F, 0.5f).blend(-0.5f, v.compare(VectorOperators.LT, 0f));
                v.add(half).convert(VectorOperators.F2I, 0).convertShape(VectorOperators.I2S, Lanes.H, 0)
                        .reinterpretAsShorts().intoArray(quants, base + j);
            }
        }
    }
}
