package io.sparktts.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense products of row-major float matrices, the shape of a linear layer: {@code out[t][o] = sum_i x[t][i] * w[o][i]
 * (+ bias[o])}. Tokens are processed in blocks of four so each weight row loaded serves four dot products.
 */
public final class MatMul {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private MatMul() {}

    /**
     * {@code out[t*outDim + o] = bias[o] + sum_i x[t*inDim + i] * w[o*inDim + i]} for {@code t < tokens}; bias may be
     * null. Parallel over output rows.
     */
    public static void linear(float[] x, int tokens, int inDim, float[] w, float[] bias, int outDim, float[] out) {
        if (x.length < (long) tokens * inDim || w.length < (long) outDim * inDim || out.length < (long) tokens * outDim
                || (bias != null && bias.length < outDim)) {
            throw new IllegalArgumentException("linear: arrays too small for tokens=" + tokens + " in=" + inDim + " out=" + outDim);
        }
        Parallel.forRange(outDim, Math.max(1, 16384 / Math.max(1, tokens * inDim / 64 + 1)),
                (from, to) -> rows(x, tokens, inDim, w, bias, outDim, out, from, to));
    }

    private static void rows(float[] x, int tokens, int inDim, float[] w, float[] bias, int outDim, float[] out,
                             int from, int to) {
        int upper = S.loopBound(inDim);
        for (int t0 = 0; t0 < tokens; t0 += 4) {
            int nt = Math.min(4, tokens - t0);
            int x0 = t0 * inDim;
            int x1 = (t0 + Math.min(1, nt - 1)) * inDim;
            int x2 = (t0 + Math.min(2, nt - 1)) * inDim;
            int x3 = (t0 + Math.min(3, nt - 1)) * inDim;
            for (int o = from; o < to; o++) {
                int wo = o * inDim;
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                int i = 0;
                for (; i < upper; i += S.length()) {
                    FloatVector wv = FloatVector.fromArray(S, w, wo + i);
                    a0 = FloatVector.fromArray(S, x, x0 + i).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, x, x1 + i).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, x, x2 + i).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, x, x3 + i).fma(wv, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; i < inDim; i++) {
                    float wi = w[wo + i];
                    s0 += x[x0 + i] * wi;
                    s1 += x[x1 + i] * wi;
                    s2 += x[x2 + i] * wi;
                    s3 += x[x3 + i] * wi;
                }
                float b = bias == null ? 0f : bias[o];
                out[t0 * outDim + o] = s0 + b;
                if (nt > 1) out[(t0 + 1) * outDim + o] = s1 + b;
                if (nt > 2) out[(t0 + 2) * outDim + o] = s2 + b;
                if (nt > 3) out[(t0 + 3) * outDim + o] = s3 + b;
            }
        }
    }
}
