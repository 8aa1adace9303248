package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Softmax over a slice, shifted by its maximum so no exponential overflows. */
public final class Softmax {
    private Softmax() {}

    /** {@code x[o+i] = exp(x[o+i] - max) / sum} over {@code i < n}, in place. */
    public static void inPlace(float[] x, int o, int n) {
        int upper = F.loopBound(n);
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < upper; i += L) {
            mv = mv.max(FloatVector.fromArray(F, x, o + i));
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[o + i]);
        }
        FloatVector sv = FloatVector.zero(F);
        i = 0;
        for (; i < upper; i += L) {
            FloatVector e = FloatVector.fromArray(F, x, o + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, o + i);
            sv = sv.add(e);
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[o + i] - max);
            x[o + i] = e;
            sum += e;
        }
        VectorMath.scale(x, o, 1 / sum, n);
    }
}
