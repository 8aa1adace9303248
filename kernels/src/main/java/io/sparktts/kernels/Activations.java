package io.sparktts.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise activations, in place over {@code x[offset, offset + length)}; parallel when large. */
public final class Activations {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int MIN_PER_THREAD = 1 << 15;

    // Rational approximation of erf on [-4, 4] (odd numerator, even denominator); beyond 4 erf is +-1 in float.
    private static final float A1 = -1.60960333262415e-02f, A3 = -2.95459980854025e-03f;
    private static final float A5 = -7.34990630326855e-04f, A7 = -5.69250639462346e-05f;
    private static final float A9 = -2.10102402082508e-06f, A11 = 2.77068142495902e-08f;
    private static final float A13 = -2.72614225801306e-10f;
    private static final float B0 = -1.42647390514189e-02f, B2 = -7.37332916720468e-03f;
    private static final float B4 = -1.68282697438203e-03f, B6 = -2.13374055278905e-04f;
    private static final float B8 = -1.45660718464996e-05f;
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);

    private Activations() {}

    /** Exact (erf) GELU: {@code 0.5 * x * (1 + erf(x / sqrt 2))}. */
    public static void gelu(float[] x, int offset, int length) {
        check(x, offset, length);
        Parallel.forRange(length, MIN_PER_THREAD, (from, to) -> {
            int i = offset + from;
            int end = offset + to;
            for (; i + S.length() <= end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector e = erf(v.mul(SQRT_HALF));
                v.mul(0.5f).mul(e.add(1f)).intoArray(x, i);
            }
            for (; i < end; i++) {
                x[i] = 0.5f * x[i] * (1f + erf(x[i] * SQRT_HALF));
            }
        });
    }

    /** erf of a float, by the same rational approximation as the vector GELU. */
    public static float erf(float a) {
        float v = Math.max(-4f, Math.min(4f, a));
        float v2 = v * v;
        float p = Math.fma(v2, A13, A11);
        p = Math.fma(v2, p, A9);
        p = Math.fma(v2, p, A7);
        p = Math.fma(v2, p, A5);
        p = Math.fma(v2, p, A3);
        p = Math.fma(v2, p, A1);
        float q = Math.fma(v2, B8, B6);
        q = Math.fma(v2, q, B4);
        q = Math.fma(v2, q, B2);
        q = Math.fma(v2, q, B0);
        return v * p / q;
    }

    private static FloatVector erf(FloatVector a) {
        FloatVector v = a.max(-4f).min(4f);
        FloatVector v2 = v.mul(v);
        FloatVector p = v2.fma(A13, A11);
        p = v2.fma(p, FloatVector.broadcast(S, A9));
        p = v2.fma(p, FloatVector.broadcast(S, A7));
        p = v2.fma(p, FloatVector.broadcast(S, A5));
        p = v2.fma(p, FloatVector.broadcast(S, A3));
        p = v2.fma(p, FloatVector.broadcast(S, A1));
        FloatVector q = v2.fma(B8, B6);
        q = v2.fma(q, FloatVector.broadcast(S, B4));
        q = v2.fma(q, FloatVector.broadcast(S, B2));
        q = v2.fma(q, FloatVector.broadcast(S, B0));
        return v.mul(p).div(q);
    }

    public static void tanh(float[] x, int offset, int length) {
        check(x, offset, length);
        Parallel.forRange(length, MIN_PER_THREAD, (from, to) -> {
            int i = offset + from;
            int end = offset + to;
            for (; i + S.length() <= end; i += S.length()) {
                FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(x, i);
            }
            for (; i < end; i++) {
                x[i] = (float) Math.tanh(x[i]);
            }
        });
    }

    public static void relu(float[] x, int offset, int length) {
        leakyRelu(x, offset, length, 0f);
    }

    /** {@code x < 0 ? slope * x : x}. */
    public static void leakyRelu(float[] x, int offset, int length, float slope) {
        check(x, offset, length);
        Parallel.forRange(length, MIN_PER_THREAD, (from, to) -> {
            int i = offset + from;
            int end = offset + to;
            for (; i + S.length() <= end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                v.blend(v.mul(slope), v.lt(0f)).intoArray(x, i);
            }
            for (; i < end; i++) {
                if (x[i] < 0f) x[i] *= slope;
            }
        });
    }

    /**
     * Snake over a channels-first {@code [channels][length]} signal at {@code x[0..]}, alpha per channel:
     * {@code x + sin(alpha * x)^2 / (alpha + 1e-9)} (the reciprocal taken in float, as upstream).
     */
    public static void snake(float[] x, int channels, int length, float[] alpha) {
        snake(x, x, channels, length, alpha);
    }

    /** Snake of {@code x} written to {@code out} (which may be {@code x}). */
    public static void snake(float[] x, float[] out, int channels, int length, float[] alpha) {
        if (channels < 0 || length < 0 || x.length < (long) channels * length || out.length < (long) channels * length
                || alpha.length < channels) {
            throw new IllegalArgumentException("snake: arrays too small for " + channels + " x " + length);
        }
        Parallel.forRange(channels, Math.max(1, MIN_PER_THREAD / Math.max(1, length)), (from, to) -> {
            for (int c = from; c < to; c++) {
                snakeRow(x, out, c * length, length, alpha[c]);
            }
        });
    }

    /** Snake on {@code x[offset, offset + length)} with one alpha. */
    public static void snakeRow(float[] x, int offset, int length, float alpha) {
        snakeRow(x, x, offset, length, alpha);
    }

    private static void snakeRow(float[] x, float[] out, int offset, int length, float alpha) {
        float inv = 1f / (alpha + 1e-9f);
        int i = offset;
        int end = offset + length;
        for (; i + S.length() <= end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector s = v.mul(alpha).lanewise(VectorOperators.SIN);
            s.mul(s).fma(FloatVector.broadcast(S, inv), v).intoArray(out, i);
        }
        for (; i < end; i++) {
            float s = (float) Math.sin(alpha * x[i]);
            out[i] = Math.fma(s * s, inv, x[i]);
        }
    }

    private static void check(float[] x, int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > x.length) {
            throw new IllegalArgumentException("activation: range " + offset + "+" + length + " outside array of "
                    + x.length);
        }
    }
}
