package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Root-mean-square normalisation with a learned gain: {@code out = x / sqrt(mean(x^2) + eps) * weight}. */
public final class RmsNorm {
    private RmsNorm() {}

    /** Normalises {@code x[xo .. xo+n)} into {@code out[o ..]} ({@code out} may be {@code x}). */
    public static void apply(float[] x, int xo, float[] weight, float eps, float[] out, int o, int n) {
        if (weight.length < n) {
            throw new IllegalArgumentException("RMSNorm weight of " + weight.length + " for " + n + " values");
        }
        int upper = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            acc = v.fma(v, acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += x[xo + i] * x[xo + i];
        }
        float inv = (float) (1 / Math.sqrt(sum / n + eps));
        i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, x, xo + i).mul(inv).mul(FloatVector.fromArray(F, weight, i)).intoArray(out, o + i);
        }
        for (; i < n; i++) {
            out[o + i] = x[xo + i] * inv * weight[i];
        }
    }

    /** {@link #apply} on each of {@code rows} consecutive vectors of length {@code n}, in place. */
    public static void applyRows(float[] x, int rows, float[] weight, float eps, int n) {
        for (int r = 0; r < rows; r++) {
            apply(x, r * n, weight, eps, x, r * n, n);
        }
    }
}
