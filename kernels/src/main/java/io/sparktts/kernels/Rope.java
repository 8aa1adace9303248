package io.sparktts.kernels;

import static io.sparktts.kernels.Lanes.F;
import static io.sparktts.kernels.Lanes.L;

import jdk.incubator.vector.FloatVector;

/**
 * Rotary position embedding in the rotate-half convention (HF Llama/Qwen2): each head's first half {@code a} and
 * second half {@code b} become {@code a cos - b sin} and {@code b cos + a sin}, with angle {@code position * f_i},
 * {@code f_i = theta^(-2i/d)}. Angles are computed in float32 like the reference, so long positions round alike.
 */
public final class Rope {
    private final int headDim;
    private final float[] inverseFrequencies;

    public Rope(int headDim, double theta) {
        if (headDim <= 0 || headDim % 2 != 0 || !(theta > 0)) {
            throw new IllegalArgumentException("RoPE needs an even head dimension and a positive theta, not "
                    + headDim + " and " + theta);
        }
        this.headDim = headDim;
        this.inverseFrequencies = new float[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) {
            float exponent = (float) (2 * i) / headDim;
            inverseFrequencies[i] = 1f / (float) Math.pow((float) theta, exponent);
        }
    }

    public int headDim() {
        return headDim;
    }

    /** The cosines and sines of one position, {@code headDim/2} of each, into {@code cos[o ..]} and {@code sin[o ..]}. */
    public void angles(int position, float[] cos, float[] sin, int o) {
        for (int i = 0; i < inverseFrequencies.length; i++) {
            float angle = (float) position * inverseFrequencies[i];
            cos[o + i] = (float) Math.cos(angle);
            sin[o + i] = (float) Math.sin(angle);
        }
    }

    /** Rotates {@code heads} consecutive heads starting at {@code x[xo]} in place with angles from {@link #angles}. */
    public void rotate(float[] x, int xo, int heads, float[] cos, float[] sin, int o) {
        int half = headDim / 2;
        int upper = F.loopBound(half);
        for (int h = 0; h < heads; h++) {
            int base = xo + h * headDim;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector a = FloatVector.fromArray(F, x, base + i);
                FloatVector b = FloatVector.fromArray(F, x, base + half + i);
                FloatVector c = FloatVector.fromArray(F, cos, o + i);
                FloatVector s = FloatVector.fromArray(F, sin, o + i);
                a.mul(c).sub(b.mul(s)).intoArray(x, base + i);
                b.mul(c).add(a.mul(s)).intoArray(x, base + half + i);
            }
            for (; i < half; i++) {
                float a = x[base + i], b = x[base + half + i];
                float c = cos[o + i], s = sin[o + i];
                x[base + i] = a * c - b * s;
                x[base + half + i] = b * c + a * s;
            }
        }
    }
}
