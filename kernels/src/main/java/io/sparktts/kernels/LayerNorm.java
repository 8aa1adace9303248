package io.sparktts.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, statistics per row (biased
 * variance, as PyTorch). Weight and bias may be null (no affine part). {@code out} may be {@code x}.
 */
public final class LayerNorm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private LayerNorm() {}

    /** Normalises each of {@code rows} rows of {@code dim} contiguous values ({@code [T][C]} layout, over C). */
    public static void rows(float[] x, int rows, int dim, float[] weight, float[] bias, float eps, float[] out) {
        check(x, rows, dim, weight, bias, out);
        Parallel.forRange(rows, Math.max(1, 8192 / dim), (from, to) -> {
            for (int r = from; r < to; r++) {
                normalizeRow(x, r * dim, dim, weight, bias, eps, out);
            }
        });
    }

    /**
     * Normalises over channels in the channels-first {@code [C][T]} layout: each time step's {@code channels}
     * values (stride {@code length}) form one row.
     */
    public static void channelsFirst(float[] x, int channels, int length, float[] weight, float[] bias, float eps,
                                     float[] out) {
        check(x, length, channels, weight, bias, out);
        int tile = S.length();
        Parallel.forRange((length + tile - 1) / tile, Math.max(1, 8192 / (channels * tile)), (from, to) -> {
            float[] mean = new float[tile];
            float[] inv = new float[tile];
            for (int b = from; b < to; b++) {
                int t0 = b * tile;
                int n = Math.min(tile, length - t0);
                if (n == tile) {
                    channelsFirstVector(x, channels, length, t0, weight, bias, eps, out);
                } else {
                    for (int t = t0; t < t0 + n; t++) {
                        double sum = 0;
                        for (int c = 0; c < channels; c++) sum += x[c * length + t];
                        mean[t - t0] = (float) (sum / channels);
                    }
                    for (int t = t0; t < t0 + n; t++) {
                        float m = mean[t - t0];
                        float var = 0f;
                        for (int c = 0; c < channels; c++) {
                            float d = x[c * length + t] - m;
                            var = Math.fma(d, d, var);
                        }
                        inv[t - t0] = (float) (1.0 / Math.sqrt(var / channels + eps));
                    }
                    for (int c = 0; c < channels; c++) {
                        float wc = weight == null ? 1f : weight[c];
                        float bc = bias == null ? 0f : bias[c];
                        for (int t = t0; t < t0 + n; t++) {
                            int i = c * length + t;
                            out[i] = (x[i] - mean[t - t0]) * inv[t - t0] * wc + bc;
                        }
                    }
                }
            }
        });
    }

    private static void channelsFirstVector(float[] x, int channels, int length, int t0, float[] weight,
                                            float[] bias, float eps, float[] out) {
        FloatVector sum = FloatVector.zero(S);
        for (int c = 0; c < channels; c++) {
            sum = sum.add(FloatVector.fromArray(S, x, c * length + t0));
        }
        FloatVector mean = sum.div(channels);
        FloatVector var = FloatVector.zero(S);
        for (int c = 0; c < channels; c++) {
            FloatVector d = FloatVector.fromArray(S, x, c * length + t0).sub(mean);
            var = d.fma(d, var);
        }
        FloatVector inv = var.div(channels).add(eps).sqrt();
        inv = FloatVector.broadcast(S, 1f).div(inv);
        for (int c = 0; c < channels; c++) {
            FloatVector y = FloatVector.fromArray(S, x, c * length + t0).sub(mean).mul(inv);
            if (weight != null) y = y.mul(weight[c]);
            if (bias != null) y = y.add(bias[c]);
            y.intoArray(out, c * length + t0);
        }
    }

    private static void normalizeRow(float[] x, int off, int dim, float[] weight, float[] bias, float eps,
                                     float[] out) {
        int upper = S.loopBound(dim);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < upper; i += S.length()) acc = acc.add(FloatVector.fromArray(S, x, off + i));
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) sum += x[off + i];
        float mean = sum / dim;
        FloatVector m = FloatVector.broadcast(S, mean);
        acc = FloatVector.zero(S);
        for (i = 0; i < upper; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(m);
            acc = d.fma(d, acc);
        }
        float var = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float d = x[off + i] - mean;
            var = Math.fma(d, d, var);
        }
        float inv = (float) (1.0 / Math.sqrt(var / dim + eps));
        for (i = 0; i < upper; i += S.length()) {
            FloatVector y = FloatVector.fromArray(S, x, off + i).sub(m).mul(inv);
            if (weight != null) y = y.mul(FloatVector.fromArray(S, weight, i));
            if (bias != null) y = y.add(FloatVector.fromArray(S, bias, i));
            y.intoArray(out, off + i);
        }
        for (; i < dim; i++) {
            float y = (x[off + i] - mean) * inv;
            if (weight != null) y *= weight[i];
            if (bias != null) y += bias[i];
            out[off + i] = y;
        }
    }

    private static void check(float[] x, int rows, int dim, float[] weight, float[] bias, float[] out) {
        if (rows < 0 || dim < 1 || x.length < (long) rows * dim || out.length < (long) rows * dim
                || (weight != null && weight.length < dim) || (bias != null && bias.length < dim)) {
            throw new IllegalArgumentException("layer norm: arrays too small for " + rows + " x " + dim);
        }
    }
}
