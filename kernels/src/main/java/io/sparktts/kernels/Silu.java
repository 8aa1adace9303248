package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** The SiLU (swish) activation {@code x * sigmoid(x) = x / (1 + exp(-x))}. */
public final class Silu {
    private Silu() {}

    /** {@code x[o+i] = silu(x[o+i])} for {@code i < n}. */
    public static void inPlace(float[] x, int o, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, o + i);
            v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(x, o + i);
        }
        for (; i < n; i++) {
            x[o + i] = x[o + i] / (1f + (float) Math.exp(-x[o + i]));
        }
    }

    /** The gated form of a SwiGLU MLP: {@code gate[o+i] = silu(gate[o+i]) * up[o+i]} for {@code i < n}. */
    public static void gate(float[] gate, float[] up, int o, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, o + i);
            g.div(g.neg().lanewise(VectorOperators.EXP).add(1f)).mul(FloatVector.fromArray(F, up, o + i)).intoArray(gate, o + i);
        }
        for (; i < n; i++) {
            float g = gate[o + i];
            gate[o + i] = g / (1f + (float) Math.exp(-g)) * up[o + i];
        }
    }
}
