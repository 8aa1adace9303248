package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Element-wise vector arithmetic and dot products over float arrays. */
public final class VectorMath {
    private VectorMath() {}

    /** {@code out[o+i] = a[ao+i] + b[bo+i]} for {@code i < n}; {@code out} may be {@code a} or {@code b}. */
    public static void add(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, o + i);
        }
        for (; i < n; i++) {
            out[o + i] = a[ao + i] + b[bo + i];
        }
    }

    /** {@code a[ao+i] *= s} for {@code i < n}. */
    public static void scale(float[] a, int ao, float s, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, a, ao + i).mul(s).intoArray(a, ao + i);
        }
        for (; i < n; i++) {
            a[ao + i] *= s;
        }
    }

    /** {@code y[yo+i] += s * x[xo+i]} for {@code i < n}. */
    public static void addScaled(float[] y, int yo, float s, float[] x, int xo, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, x, xo + i).fma(FloatVector.broadcast(F, s), FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += s * x[xo + i];
        }
    }

    /** {@code sum a[ao+i] * b[bo+i]} for {@code i < n}. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int upper = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** Index of the largest of {@code a[o .. o+n)}; the first one on ties (as {@code torch.argmax}). */
    public static int argmax(float[] a, int o, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[o + i] > a[o + best]) {
                best = i;
            }
        }
        return best;
    }
}
