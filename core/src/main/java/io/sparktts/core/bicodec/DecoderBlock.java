package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.ConvTranspose1d;
import io.sparktts.safetensors.CheckpointException;

/**
 * One upsampling stage of the WaveGenerator: Snake -> weight-normed transposed conv (kernel k, stride s, padding
 * (k - s) / 2, so {@code frames * s} out) -> residual units with dilations 1, 3, 9.
 */
public final class DecoderBlock {

    private static final int[] DILATIONS = {1, 3, 9};

    private final int inputDim;
    private final float[] alpha;
    private final ConvTranspose1d upsample;
    private final ResidualUnit[] units;

    private DecoderBlock(int inputDim, float[] alpha, ConvTranspose1d upsample, ResidualUnit[] units) {
        this.inputDim = inputDim;
        this.alpha = alpha;
        this.upsample = upsample;
        this.units = units;
    }

    public static DecoderBlock load(Weights w, int inputDim, int outputDim, int kernelSize, int stride)
            throws CheckpointException {
        float[] alpha = w.floats("block.0.alpha", 1, inputDim, 1);
        // Transposed-conv weights are [in][out][k]: weight norm keeps one norm per input channel (dim 0).
        ConvTranspose1d up = new ConvTranspose1d(
                ConvTranspose1d.Spec.of(inputDim, outputDim, kernelSize, stride).padding((kernelSize - stride) / 2),
                w.weightNormed("block.1.weight", 0, inputDim, outputDim, kernelSize), w.floats("block.1.bias", outputDim));
        ResidualUnit[] units = new ResidualUnit[DILATIONS.length];
        for (int i = 0; i < units.length; i++) {
            units[i] = ResidualUnit.load(w.child("block." + (i + 2)), outputDim, DILATIONS[i]);
        }
        return new DecoderBlock(inputDim, alpha, up, units);
    }

    public int outputLength(int frames) {
        return upsample.outputLength(frames);
    }

    /** {@code x [inputDim][frames]} (left unchanged) to {@code [outputDim][outputLength(frames)]}. */
    public float[] forward(float[] x, int frames) {
        float[] h = x.clone();
        Activations.snake(h, inputDim, frames, alpha);
        float[] y = upsample.forward(h, frames);
        int length = upsample.outputLength(frames);
        for (ResidualUnit u : units) u.forward(y, length);
        return y;
    }
}
