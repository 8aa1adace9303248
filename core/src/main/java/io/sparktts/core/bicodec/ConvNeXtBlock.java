package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Conv1d;
import io.sparktts.kernels.LayerNorm;
import io.sparktts.safetensors.CheckpointException;

/**
 * Vocos' ConvNeXt block on a channels-first {@code [dim][frames]} signal: depthwise conv k=7, LayerNorm (or
 * AdaLayerNorm on the condition) over channels, pointwise linear -> exact GELU -> pointwise linear, times the
 * layer scale {@code gamma} (folded into the second linear), added to the input. The pointwise linears run as 1x1
 * convolutions, which on channels-first data is the same product as upstream's linear on the transposed signal.
 */
public final class ConvNeXtBlock {

    static final float EPS = 1e-6f;

    private final int dim;
    private final Conv1d dwconv;
    private final float[] normWeight, normBias;
    private final AdaLayerNorm adaNorm;
    private final Conv1d pwconv1, pwconv2;

    private ConvNeXtBlock(int dim, Conv1d dwconv, float[] normWeight, float[] normBias, AdaLayerNorm adaNorm,
                          Conv1d pwconv1, Conv1d pwconv2) {
        this.dim = dim;
        this.dwconv = dwconv;
        this.normWeight = normWeight;
        this.normBias = normBias;
        this.adaNorm = adaNorm;
        this.pwconv1 = pwconv1;
        this.pwconv2 = pwconv2;
    }

    /** {@code conditionDim} null: plain LayerNorm ({@code norm.weight/bias}); else AdaLayerNorm ({@code norm.scale/shift}). */
    public static ConvNeXtBlock load(Weights w, int dim, int intermediateDim, Integer conditionDim)
            throws CheckpointException {
        Conv1d dw = new Conv1d(Conv1d.Spec.of(dim, dim, 7).groups(dim).padding(3),
                w.floats("dwconv.weight", dim, 1, 7), w.floats("dwconv.bias", dim));
        float[] nw = null, nb = null;
        AdaLayerNorm ada = null;
        if (conditionDim == null) {
            nw = w.floats("norm.weight", dim);
            nb = w.floats("norm.bias", dim);
        } else {
            ada = AdaLayerNorm.load(w.child("norm"), conditionDim, dim);
        }
        Conv1d pw1 = new Conv1d(Conv1d.Spec.of(dim, intermediateDim, 1),
                w.floats("pwconv1.weight", intermediateDim, dim), w.floats("pwconv1.bias", intermediateDim));
        // Upstream creates gamma whenever layer_scale_init_value > 0, which its backbones always pass. It scales
        // the second linear's rows, so it is folded into that layer's weight and bias.
        float[] gamma = w.floats("gamma", dim);
        float[] w2 = w.floats("pwconv2.weight", dim, intermediateDim), b2 = w.floats("pwconv2.bias", dim);
        for (int c = 0; c < dim; c++) {
            b2[c] *= gamma[c];
            for (int i = 0; i < intermediateDim; i++) w2[c * intermediateDim + i] *= gamma[c];
        }
        Conv1d pw2 = new Conv1d(Conv1d.Spec.of(intermediateDim, dim, 1), w2, b2);
        return new ConvNeXtBlock(dim, dw, nw, nb, ada, pw1, pw2);
    }

    /** Updates {@code x [dim][frames]} in place; {@code condition} is required iff the block is conditioned. */
    public void forward(float[] x, int frames, float[] condition) {
        float[] y = dwconv.forward(x, frames);
        float[] weight = normWeight, bias = normBias;
        if (adaNorm != null) {
            AdaLayerNorm.Affine a = adaNorm.affine(condition);
            weight = a.weight();
            bias = a.bias();
        }
        LayerNorm.channelsFirst(y, dim, frames, weight, bias, EPS, y);
        float[] h = pwconv1.forward(y, frames);
        Activations.gelu(h, 0, h.length);
        pwconv2.forwardAccumulate(h, frames, x);
    }
}
