package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Conv1d;
import io.sparktts.safetensors.CheckpointException;

/**
 * Upstream's feature {@code Decoder} (the prenet and postnet): input linear, per sample ratio a SamplingBlock
 * (upsampling) followed by a two-layer unconditioned Vocos backbone, the main Vocos backbone (conditioned when
 * {@code condition_dim} is set), output linear, optional tanh. Channels-first {@code [channels][frames]} in and out;
 * the linears run as 1x1 convolutions.
 */
public final class FeatDecoder {

    private final BiCodecConfig.FeatDecoderConfig config;
    private final Conv1d linearPre;
    private final SamplingBlock[] sampling;
    private final VocosBackbone[] stageBackbones;
    private final VocosBackbone backbone;
    private final Conv1d linear;

    private FeatDecoder(BiCodecConfig.FeatDecoderConfig config, Conv1d linearPre, SamplingBlock[] sampling,
                        VocosBackbone[] stageBackbones, VocosBackbone backbone, Conv1d linear) {
        this.config = config;
        this.linearPre = linearPre;
        this.sampling = sampling;
        this.stageBackbones = stageBackbones;
        this.backbone = backbone;
        this.linear = linear;
    }

    public static FeatDecoder load(Weights w, BiCodecConfig.FeatDecoderConfig c) throws CheckpointException {
        int in = c.inputChannels(), dim = c.vocosDim(), inter = c.vocosIntermediateDim(), out = c.outChannels();
        Conv1d linearPre = new Conv1d(Conv1d.Spec.of(in, dim, 1), w.floats("linear_pre.weight", dim, in),
                w.floats("linear_pre.bias", dim));
        int stages = c.sampleRatios().size();
        SamplingBlock[] sampling = new SamplingBlock[stages];
        VocosBackbone[] stageBackbones = new VocosBackbone[stages];
        for (int i = 0; i < stages; i++) {
            Weights stage = w.child("downsample." + i);
            sampling[i] = SamplingBlock.load(stage.child("0"), dim, dim, c.sampleRatios().get(i), 1);
            // The inner backbones have two layers whatever vocos_num_layers says, as upstream builds them.
            stageBackbones[i] = VocosBackbone.load(stage.child("1"), dim, dim, inter, 2, null);
        }
        VocosBackbone backbone = VocosBackbone.load(w.child("vocos_backbone"), dim, dim, inter, c.vocosNumLayers(),
                c.conditionDim());
        Conv1d linear = new Conv1d(Conv1d.Spec.of(dim, out, 1), w.floats("linear.weight", out, dim),
                w.floats("linear.bias", out));
        return new FeatDecoder(c, linearPre, sampling, stageBackbones, backbone, linear);
    }

    public BiCodecConfig.FeatDecoderConfig config() {
        return config;
    }

    /** Frames out for {@code frames} in: the product of the sample ratios. */
    public int outputLength(int frames) {
        int n = frames;
        for (SamplingBlock s : sampling) n = s.outputLength(n);
        return n;
    }

    /** {@code x [inputChannels][frames]} to {@code [outChannels][outputLength(frames)]}. */
    public float[] forward(float[] x, int frames, float[] condition) throws SparkTtsException {
        float[] h = linearPre.forward(x, frames);
        int length = frames;
        for (int i = 0; i < sampling.length; i++) {
            h = sampling[i].forward(h, length);
            length = sampling[i].outputLength(length);
            h = stageBackbones[i].forward(h, length, null);
        }
        h = backbone.forward(h, length, condition);
        float[] out = linear.forward(h, length);
        if (config.useTanhAtFinal()) Activations.tanh(out, 0, out.length);
        return out;
    }
}
