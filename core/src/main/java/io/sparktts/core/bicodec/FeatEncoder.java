package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.MatMul;
import io.sparktts.safetensors.CheckpointException;

/**
 * Upstream's {@code feat_encoder.Encoder}: an unconditioned Vocos backbone (wav2vec2 features to vocos_dim), per
 * sample ratio a depthwise sampling block followed by a two-layer Vocos backbone, then a linear projection to the
 * quantizer's input. Input {@code [inputChannels][frames]}, output {@code [outChannels][frames]} (channels-first).
 */
public final class FeatEncoder {

    private final BiCodecConfig.EncoderConfig config;
    private final VocosBackbone encoder;
    private final SamplingBlock[] sampling;
    private final VocosBackbone[] backbones;
    private final float[] projectWeight, projectBias;

    private FeatEncoder(BiCodecConfig.EncoderConfig config, VocosBackbone encoder, SamplingBlock[] sampling,
                        VocosBackbone[] backbones, float[] projectWeight, float[] projectBias) {
        this.config = config;
        this.encoder = encoder;
        this.sampling = sampling;
        this.backbones = backbones;
        this.projectWeight = projectWeight;
        this.projectBias = projectBias;
    }

    /** Reads {@code encoder.*}, {@code downsample.N.0|1.*} and {@code project.*} under {@code w}. */
    public static FeatEncoder load(Weights w, BiCodecConfig.EncoderConfig c) throws CheckpointException {
        int dim = c.vocosDim();
        VocosBackbone encoder = VocosBackbone.load(w.child("encoder"), c.inputChannels(), dim,
                c.vocosIntermediateDim(), c.vocosNumLayers(), null);
        int n = c.sampleRatios().size();
        SamplingBlock[] sampling = new SamplingBlock[n];
        VocosBackbone[] backbones = new VocosBackbone[n];
        for (int i = 0; i < n; i++) {
            sampling[i] = SamplingBlock.load(w.child("downsample." + i + ".0"), dim, dim, 1, c.sampleRatios().get(i));
            backbones[i] = VocosBackbone.load(w.child("downsample." + i + ".1"), dim, dim, c.vocosIntermediateDim(), 2, null);
        }
        return new FeatEncoder(c, encoder, sampling, backbones, w.floats("project.weight", c.outChannels(), dim),
                w.floats("project.bias", c.outChannels()));
    }

    public BiCodecConfig.EncoderConfig config() {
        return config;
    }

    /** Frames of the output for {@code frames} input frames. */
    public int outputFrames(int frames) {
        for (SamplingBlock s : sampling) frames = s.outputLength(frames);
        return frames;
    }

    /** {@code feat [inputChannels][frames]} to {@code z [outChannels][outputFrames]}. */
    public float[] forward(float[] feat, int frames) throws SparkTtsException {
        float[] h = encoder.forward(feat, frames, null);
        int t = frames;
        for (int i = 0; i < sampling.length; i++) {
            h = sampling[i].forward(h, t);
            t = sampling[i].outputLength(t);
            h = backbones[i].forward(h, t, null);
        }
        int dim = config.vocosDim(), out = config.outChannels();
        float[] rows = new float[t * dim];
        for (int c = 0; c < dim; c++) {
            for (int f = 0; f < t; f++) rows[f * dim + c] = h[c * t + f];
        }
        float[] projected = new float[t * out];
        MatMul.linear(rows, t, dim, projectWeight, projectBias, out, projected);
        float[] z = new float[out * t];
        for (int f = 0; f < t; f++) {
            for (int c = 0; c < out; c++) z[c * t + f] = projected[f * out + c];
        }
        return z;
    }
}
