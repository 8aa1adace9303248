package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Conv1d;
import io.sparktts.safetensors.CheckpointException;

/**
 * The DAC-style vocoder ({@code decoder.model.*}): weight-normed conv k=7 (input -> channels), one
 * {@link DecoderBlock} per rate halving the channels, Snake, weight-normed conv k=7 to one channel, tanh.
 */
public final class WaveGenerator {

    private final BiCodecConfig.WaveGeneratorConfig config;
    private final Conv1d first;
    private final DecoderBlock[] blocks;
    private final int lastDim;
    private final float[] finalAlpha;
    private final Conv1d last;

    private WaveGenerator(BiCodecConfig.WaveGeneratorConfig config, Conv1d first, DecoderBlock[] blocks, int lastDim,
                          float[] finalAlpha, Conv1d last) {
        this.config = config;
        this.first = first;
        this.blocks = blocks;
        this.lastDim = lastDim;
        this.finalAlpha = finalAlpha;
        this.last = last;
    }

    /** Reads the weights under {@code w} (the {@code decoder.model} prefix). */
    public static WaveGenerator load(Weights w, BiCodecConfig.WaveGeneratorConfig c) throws CheckpointException {
        int in = c.inputChannel(), ch = c.channels();
        Conv1d first = new Conv1d(Conv1d.Spec.of(in, ch, 7).padding(3), w.weightNormed("0.weight", 0, ch, in, 7),
                w.floats("0.bias", ch));
        int n = c.rates().size();
        DecoderBlock[] blocks = new DecoderBlock[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = DecoderBlock.load(w.child(String.valueOf(i + 1)), ch >> i, ch >> (i + 1),
                    c.kernelSizes().get(i), c.rates().get(i));
        }
        int lastDim = ch >> n;
        float[] alpha = w.floats((n + 1) + ".alpha", 1, lastDim, 1);
        Conv1d last = new Conv1d(Conv1d.Spec.of(lastDim, 1, 7).padding(3),
                w.weightNormed((n + 2) + ".weight", 0, 1, lastDim, 7), w.floats((n + 2) + ".bias", 1));
        return new WaveGenerator(c, first, blocks, lastDim, alpha, last);
    }

    public BiCodecConfig.WaveGeneratorConfig config() {
        return config;
    }

    public int outputLength(int frames) {
        int n = frames;
        for (DecoderBlock b : blocks) n = b.outputLength(n);
        return n;
    }

    /** {@code x [inputChannel][frames]} to the waveform of {@code outputLength(frames)} samples in (-1, 1). */
    public float[] forward(float[] x, int frames) {
        float[] h = first.forward(x, frames);
        int length = frames;
        for (DecoderBlock b : blocks) {
            h = b.forward(h, length);
            length = b.outputLength(length);
        }
        Activations.snake(h, lastDim, length, finalAlpha);
        float[] wav = last.forward(h, length);
        Activations.tanh(wav, 0, wav.length);
        return wav;
    }
}
