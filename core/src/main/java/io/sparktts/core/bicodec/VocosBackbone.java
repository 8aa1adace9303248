package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Conv1d;
import io.sparktts.kernels.LayerNorm;
import io.sparktts.safetensors.CheckpointException;

/**
 * Vocos backbone: embedding conv k=7 (input channels -> dim), LayerNorm or AdaLayerNorm, ConvNeXt blocks, final
 * LayerNorm. Works channels-first throughout: {@link #forward} returns {@code [dim][frames]} (upstream returns the
 * transpose, which every caller transposes back or feeds to a linear).
 */
public final class VocosBackbone {

    private final int dim;
    private final Conv1d embed;
    private final float[] normWeight, normBias;
    private final AdaLayerNorm adaNorm;
    private final ConvNeXtBlock[] blocks;
    private final float[] finalWeight, finalBias;

    private VocosBackbone(int dim, Conv1d embed, float[] normWeight, float[] normBias, AdaLayerNorm adaNorm,
                          ConvNeXtBlock[] blocks, float[] finalWeight, float[] finalBias) {
        this.dim = dim;
        this.embed = embed;
        this.normWeight = normWeight;
        this.normBias = normBias;
        this.adaNorm = adaNorm;
        this.blocks = blocks;
        this.finalWeight = finalWeight;
        this.finalBias = finalBias;
    }

    /** {@code conditionDim} null: unconditioned (plain LayerNorms). */
    public static VocosBackbone load(Weights w, int inputChannels, int dim, int intermediateDim, int numLayers,
                                     Integer conditionDim) throws CheckpointException {
        Conv1d embed = new Conv1d(Conv1d.Spec.of(inputChannels, dim, 7).padding(3),
                w.floats("embed.weight", dim, inputChannels, 7), w.floats("embed.bias", dim));
        float[] nw = null, nb = null;
        AdaLayerNorm ada = null;
        if (conditionDim == null) {
            nw = w.floats("norm.weight", dim);
            nb = w.floats("norm.bias", dim);
        } else {
            ada = AdaLayerNorm.load(w.child("norm"), conditionDim, dim);
        }
        ConvNeXtBlock[] blocks = new ConvNeXtBlock[numLayers];
        for (int i = 0; i < numLayers; i++) {
            blocks[i] = ConvNeXtBlock.load(w.child("convnext." + i), dim, intermediateDim, conditionDim);
        }
        return new VocosBackbone(dim, embed, nw, nb, ada, blocks, w.floats("final_layer_norm.weight", dim),
                w.floats("final_layer_norm.bias", dim));
    }

    public int dim() {
        return dim;
    }

    /** {@code x [inputChannels][frames]} to {@code [dim][frames]}; {@code condition} null when unconditioned. */
    public float[] forward(float[] x, int frames, float[] condition) {
        float[] h = embed.forward(x, frames);
        float[] weight = normWeight, bias = normBias;
        if (adaNorm != null) {
            AdaLayerNorm.Affine a = adaNorm.affine(condition);
            weight = a.weight();
            bias = a.bias();
        }
        LayerNorm.channelsFirst(h, dim, frames, weight, bias, ConvNeXtBlock.EPS, h);
        for (ConvNeXtBlock block : blocks) block.forward(h, frames, condition);
        LayerNorm.channelsFirst(h, dim, frames, finalWeight, finalBias, ConvNeXtBlock.EPS, h);
        return h;
    }
}
