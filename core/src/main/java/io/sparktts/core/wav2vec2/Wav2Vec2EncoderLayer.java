package io.sparktts.core.wav2vec2;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Gemm;
import io.sparktts.kernels.LayerNorm;
import io.sparktts.kernels.Parallel;
import io.sparktts.kernels.Softmax;
import io.sparktts.safetensors.CheckpointException;

/**
 * {@code Wav2Vec2EncoderLayerStableLayerNorm}: {@code h += attention(layer_norm(h))}, then
 * {@code h += feed_forward(final_layer_norm(h))}; bidirectional multi-head attention with the query scaled by
 * {@code head_dim^-0.5}, feed-forward dense -> GELU -> dense. Q, K and V are one packed product.
 */
final class Wav2Vec2EncoderLayer {

    private final int hidden;
    private final int heads;
    private final int headDim;
    private final float eps;
    private final float[] lnWeight, lnBias, finalWeight, finalBias;
    private final Gemm.Packed qkv, out, up, down;
    private final float[] qkvBias, outBias, upBias, downBias;

    private Wav2Vec2EncoderLayer(Wav2Vec2Config c, float[][] norms, Gemm.Packed[] mats, float[][] biases) {
        hidden = c.hiddenSize();
        heads = c.numAttentionHeads();
        headDim = c.headDim();
        eps = c.layerNormEps();
        lnWeight = norms[0];
        lnBias = norms[1];
        finalWeight = norms[2];
        finalBias = norms[3];
        qkv = mats[0];
        out = mats[1];
        up = mats[2];
        down = mats[3];
        qkvBias = biases[0];
        outBias = biases[1];
        upBias = biases[2];
        downBias = biases[3];
    }

    static Wav2Vec2EncoderLayer load(Weights w, Wav2Vec2Config c) throws CheckpointException {
        int h = c.hiddenSize(), ff = c.intermediateSize();
        Weights a = w.child("attention");
        float scale = (float) Math.pow(c.headDim(), -0.5);
        float[] qkvWeight = new float[3 * h * h];
        float[] qkvBias = new float[3 * h];
        String[] names = {"q_proj", "k_proj", "v_proj"};
        for (int i = 0; i < 3; i++) {
            float[] wi = a.floats(names[i] + ".weight", h, h), bi = a.floats(names[i] + ".bias", h);
            if (i == 0) {
                // HF scales the projected query (bias included); folding it into the weights changes only rounding
                for (int j = 0; j < wi.length; j++) wi[j] *= scale;
                for (int j = 0; j < bi.length; j++) bi[j] *= scale;
            }
            System.arraycopy(wi, 0, qkvWeight, i * h * h, h * h);
            System.arraycopy(bi, 0, qkvBias, i * h, h);
        }
        Weights f = w.child("feed_forward");
        Gemm.Packed[] mats = {
                Gemm.packRows(qkvWeight, 0, 3 * h, h, h),
                Gemm.packRows(a.floats("out_proj.weight", h, h), 0, h, h, h),
                Gemm.packRows(f.floats("intermediate_dense.weight", ff, h), 0, ff, h, h),
                Gemm.packRows(f.floats("output_dense.weight", h, ff), 0, h, ff, ff)};
        float[][] biases = {qkvBias, a.floats("out_proj.bias", h), f.floats("intermediate_dense.bias", ff),
                f.floats("output_dense.bias", h)};
        float[][] norms = {w.floats("layer_norm.weight", h), w.floats("layer_norm.bias", h),
                w.floats("final_layer_norm.weight", h), w.floats("final_layer_norm.bias", h)};
        return new Wav2Vec2EncoderLayer(c, norms, mats, biases);
    }

    /** One layer over {@code h [frames][hidden]}, in place. */
    void forward(float[] h, int frames) {
        float[] normed = new float[frames * hidden];
        LayerNorm.rows(h, frames, hidden, lnWeight, lnBias, eps, normed);
        float[] proj = new float[frames * 3 * hidden];
        Gemm.multiply(normed, 0, hidden, frames, qkv, qkvBias, proj, 0, 3 * hidden);
        float[] context = normed; // reused: the normed input is no longer needed
        float[] scores = new float[frames * frames];
        for (int head = 0; head < heads; head++) {
            int q0 = head * headDim, k0 = hidden + head * headDim, v0 = 2 * hidden + head * headDim;
            Gemm.multiply(proj, q0, 3 * hidden, frames, Gemm.packRows(proj, k0, frames, headDim, 3 * hidden), null,
                    scores, 0, frames);
            Parallel.forRange(frames, 32, (from, to) -> {
                for (int t = from; t < to; t++) Softmax.inPlace(scores, t * frames, frames);
            });
            Gemm.multiply(scores, 0, frames, frames, Gemm.packColumns(proj, v0, frames, headDim, 3 * hidden), null,
                    context, head * headDim, hidden);
        }
        float[] attended = new float[frames * hidden];
        Gemm.multiply(context, 0, hidden, frames, out, outBias, attended, 0, hidden);
        for (int i = 0; i < attended.length; i++) h[i] += attended[i];
        LayerNorm.rows(h, frames, hidden, finalWeight, finalBias, eps, normed);
        int ff = up.columns();
        float[] inner = new float[frames * ff];
        Gemm.multiply(normed, 0, hidden, frames, up, upBias, inner, 0, ff);
        Activations.gelu(inner, 0, inner.length);
        Gemm.multiply(inner, 0, ff, frames, down, downBias, attended, 0, hidden);
        for (int i = 0; i < attended.length; i++) h[i] += attended[i];
    }
}
