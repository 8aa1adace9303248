package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Conv1d;
import io.sparktts.kernels.ConvTranspose1d;
import io.sparktts.safetensors.CheckpointException;

/**
 * Upstream's SamplingBlock on a channels-first {@code [dim][frames]} signal. Upsampling by {@code u > 1}:
 * repeat-interleave plus LeakyReLU(0.2) -> grouped transposed conv (k=2u, stride u, padding u/2 + u%2, output
 * padding u%2). Downsampling by {@code d > 1}: LeakyReLU(0.2) -> grouped conv (k=2d, stride d, padding
 * d/2 + d%2), plus average pools of the upsampled and the repeated signals. The result is the sum of the three
 * branches; with both scales 1 every branch is the input, so the block returns {@code 3x}.
 */
public final class SamplingBlock {

    private final int dim;
    private final int upsample;
    private final int downsample;
    private final ConvTranspose1d deconv;
    private final Conv1d conv;

    private SamplingBlock(int dim, int upsample, int downsample, ConvTranspose1d deconv, Conv1d conv) {
        this.dim = dim;
        this.upsample = upsample;
        this.downsample = downsample;
        this.deconv = deconv;
        this.conv = conv;
    }

    /** Reads {@code de_conv_upsampler.1.*} / {@code conv_downsampler.1.*} when the scales need them. */
    public static SamplingBlock load(Weights w, int dim, int groups, int upsampleScale, int downsampleScale)
            throws CheckpointException {
        ConvTranspose1d deconv = null;
        Conv1d conv = null;
        if (upsampleScale > 1) {
            int u = upsampleScale;
            ConvTranspose1d.Spec s = ConvTranspose1d.Spec.of(dim, dim, 2 * u, u).padding(u / 2 + u % 2)
                    .outputPadding(u % 2).groups(groups);
            deconv = new ConvTranspose1d(s, w.floats("de_conv_upsampler.1.weight", dim, dim / groups, 2 * u),
                    w.floats("de_conv_upsampler.1.bias", dim));
        }
        if (downsampleScale > 1) {
            int d = downsampleScale;
            Conv1d.Spec s = Conv1d.Spec.of(dim, dim, 2 * d).stride(d).padding(d / 2 + d % 2).groups(groups);
            conv = new Conv1d(s, w.floats("conv_downsampler.1.weight", dim, dim / groups, 2 * d),
                    w.floats("conv_downsampler.1.bias", dim));
        }
        return new SamplingBlock(dim, upsampleScale, downsampleScale, deconv, conv);
    }

    /** Frames after the block. */
    public int outputLength(int frames) {
        return frames * upsample / downsample;
    }

    public float[] forward(float[] x, int frames) throws SparkTtsException {
        float[] repeated = x;
        float[] merged = x;
        int length = frames;
        if (upsample > 1) {
            length = frames * upsample;
            repeated = new float[dim * length];
            for (int c = 0; c < dim; c++) {
                for (int t = 0; t < frames; t++) {
                    float v = x[c * frames + t];
                    for (int r = 0; r < upsample; r++) repeated[c * length + t * upsample + r] = v;
                }
            }
            float[] activated = x.clone();
            Activations.leakyRelu(activated, 0, activated.length, 0.2f);
            merged = deconv.forward(activated, frames);
            for (int i = 0; i < merged.length; i++) merged[i] += repeated[i];
        }
        if (downsample == 1) {
            float[] out = new float[dim * length];
            for (int i = 0; i < out.length; i++) out[i] = merged[i] + repeated[i] + merged[i];
            return out;
        }
        int outLength = length / downsample;
        float[] activated = merged.clone();
        Activations.leakyRelu(activated, 0, activated.length, 0.2f);
        if (conv.outputLength(length) != outLength) {
            throw new SparkTtsException("sampling block: " + length + " frames cannot be downsampled by "
                    + downsample + " (upstream's branches would disagree in length)");
        }
        float[] out = conv.forward(activated, length);
        for (int c = 0; c < dim; c++) {
            for (int t = 0; t < outLength; t++) {
                float skipMerged = 0f, skipRepeated = 0f;
                for (int r = 0; r < downsample; r++) {
                    skipMerged += merged[c * length + t * downsample + r];
                    skipRepeated += repeated[c * length + t * downsample + r];
                }
                int i = c * outLength + t;
                out[i] = out[i] + skipRepeated / downsample + skipMerged / downsample;
            }
        }
        return out;
    }
}
