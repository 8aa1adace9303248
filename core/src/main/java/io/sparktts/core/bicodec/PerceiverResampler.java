package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.MatMul;
import io.sparktts.kernels.Softmax;
import io.sparktts.safetensors.CheckpointException;

/**
 * Upstream's {@code PerceiverResampler(dim, dim_context=1536, num_latents)}: the context is projected to
 * {@code dim}; learned latents go through 2 layers of cross-attention (8 heads of 64, no biases; keys and values
 * from the latents followed by the context) and a GEGLU feed-forward ({@code value * gelu(gate)}, inner
 * {@code int(dim * 8 / 3)}), each with a residual; then RMSNorm ({@code x / max(||x||, 1e-12) * sqrt(dim) * gamma}).
 */
public final class PerceiverResampler {

    private static final int DEPTH = 2;
    private static final int HEADS = 8;
    private static final int HEAD_DIM = 64;
    private static final int INNER = HEADS * HEAD_DIM;

    private record Layer(float[] toQ, float[] toKv, float[] toOut, float[] ff1, float[] ff1b, float[] ff2, float[] ff2b) {}

    private final int dim;
    private final int contextDim;
    private final int latentCount;
    private final int ffInner;
    private final float[] projWeight, projBias;
    private final float[] latents;
    private final Layer[] layers;
    private final float[] gamma;

    private PerceiverResampler(int dim, int contextDim, int latentCount, float[] projWeight, float[] projBias,
                               float[] latents, Layer[] layers, float[] gamma) {
        this.dim = dim;
        this.contextDim = contextDim;
        this.latentCount = latentCount;
        this.ffInner = dim * 4 * 2 / 3;
        this.projWeight = projWeight;
        this.projBias = projBias;
        this.latents = latents;
        this.layers = layers;
        this.gamma = gamma;
    }

    /** Reads {@code speaker_encoder.perceiver_sampler.*} under {@code w}. */
    public static PerceiverResampler load(Weights w, int dim, int contextDim, int latentCount) throws CheckpointException {
        int ff = dim * 4 * 2 / 3;
        Layer[] layers = new Layer[DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            Weights a = w.child("layers." + i + ".0"), f = w.child("layers." + i + ".1");
            layers[i] = new Layer(a.floats("to_q.weight", INNER, dim), a.floats("to_kv.weight", 2 * INNER, dim),
                    a.floats("to_out.weight", dim, INNER), f.floats("0.weight", 2 * ff, dim), f.floats("0.bias", 2 * ff),
                    f.floats("2.weight", dim, ff), f.floats("2.bias", dim));
        }
        return new PerceiverResampler(dim, contextDim, latentCount, w.floats("proj_context.weight", dim, contextDim),
                w.floats("proj_context.bias", dim), w.floats("latents", latentCount, dim), layers,
                w.floats("norm.gamma", dim));
    }

    /** {@code context [frames][contextDim]} rows to {@code [latentCount][dim]}. */
    public float[] forward(float[] context, int frames) {
        int n = latentCount, total = n + frames;
        float[] kvIn = new float[total * dim];
        float[] projected = new float[frames * dim];
        MatMul.linear(context, frames, contextDim, projWeight, projBias, dim, projected);
        System.arraycopy(projected, 0, kvIn, n * dim, frames * dim);
        float[] x = latents.clone();
        float[] q = new float[n * INNER], kv = new float[total * 2 * INNER], attended = new float[n * INNER];
        float[] delta = new float[n * dim], inner = new float[n * 2 * ffInner], gated = new float[n * ffInner];
        float[] scores = new float[total];
        float scale = (float) Math.pow(HEAD_DIM, -0.5);
        for (Layer l : layers) {
            System.arraycopy(x, 0, kvIn, 0, n * dim);
            MatMul.linear(x, n, dim, l.toQ, null, INNER, q);
            MatMul.linear(kvIn, total, dim, l.toKv, null, 2 * INNER, kv);
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < total; j++) {
                        float s = 0f;
                        for (int d = 0; d < HEAD_DIM; d++) s += q[i * INNER + h * HEAD_DIM + d] * kv[j * 2 * INNER + h * HEAD_DIM + d];
                        scores[j] = s * scale;
                    }
                    Softmax.inPlace(scores, 0, total);
                    for (int d = 0; d < HEAD_DIM; d++) {
                        float s = 0f;
                        for (int j = 0; j < total; j++) s += scores[j] * kv[j * 2 * INNER + INNER + h * HEAD_DIM + d];
                        attended[i * INNER + h * HEAD_DIM + d] = s;
                    }
                }
            }
            MatMul.linear(attended, n, INNER, l.toOut, null, dim, delta);
            for (int i = 0; i < x.length; i++) x[i] += delta[i];
            MatMul.linear(x, n, dim, l.ff1, l.ff1b, 2 * ffInner, inner);
            for (int i = 0; i < n; i++) {
                System.arraycopy(inner, i * 2 * ffInner + ffInner, gated, i * ffInner, ffInner);
            }
            Activations.gelu(gated, 0, gated.length);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < ffInner; j++) gated[i * ffInner + j] *= inner[i * 2 * ffInner + j];
            }
            MatMul.linear(gated, n, ffInner, l.ff2, l.ff2b, dim, delta);
            for (int i = 0; i < x.length; i++) x[i] += delta[i];
        }
        float root = (float) Math.sqrt(dim);
        for (int i = 0; i < n; i++) {
            double ss = 0;
            for (int d = 0; d < dim; d++) ss += (double) x[i * dim + d] * x[i * dim + d];
            float norm = (float) Math.max(Math.sqrt(ss), 1e-12);
            for (int d = 0; d < dim; d++) x[i * dim + d] = x[i * dim + d] / norm * root * gamma[d];
        }
        return x;
    }
}
