package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.safetensors.CheckpointException;

/**
 * The tokenize side of upstream's {@code SpeakerEncoder}: ECAPA-TDNN latent of the mel spectrogram, Perceiver
 * resampler to {@code tokenNum} latents, residual FSQ indices: the global tokens. (The detokenize side is
 * {@link SpeakerEncoder}; both read the {@code speaker_encoder} prefix.)
 */
public final class SpeakerTokenizer {

    /** Every intermediate, for parity checks: ECAPA output, Perceiver output {@code [tokenNum][latentDim]}, ids. */
    public record Result(EcapaTdnn.Output ecapa, float[] perceiverOut, int[] globalTokens) {}

    private final BiCodecConfig.SpeakerEncoderConfig config;
    private final EcapaTdnn ecapa;
    private final PerceiverResampler perceiver;
    private final ResidualFSQ quantizer;

    private SpeakerTokenizer(BiCodecConfig.SpeakerEncoderConfig config, EcapaTdnn ecapa, PerceiverResampler perceiver,
                             ResidualFSQ quantizer) {
        this.config = config;
        this.ecapa = ecapa;
        this.perceiver = perceiver;
        this.quantizer = quantizer;
    }

    /** Reads {@code speaker_encoder.*} under {@code w} (the {@code speaker_encoder} prefix). */
    public static SpeakerTokenizer load(Weights w, BiCodecConfig.SpeakerEncoderConfig c) throws CheckpointException {
        return new SpeakerTokenizer(c, EcapaTdnn.load(w.child("speaker_encoder"), c.inputDim(), c.outDim()),
                PerceiverResampler.load(w.child("perceiver_sampler"), c.latentDim(), EcapaTdnn.LATENT, c.tokenNum()),
                ResidualFSQ.load(w.child("quantizer"), c.fsqLevels(), c.fsqNumQuantizers(), c.latentDim()));
    }

    /**
     * Mel spectrogram {@code [inputDim][frames]} to the global tokens, upstream's {@code [numQuantizers][tokenNum]}
     * layout (for the released single quantizer: the {@code tokenNum} ids).
     */
    public Result tokenize(float[] mel, int frames) {
        EcapaTdnn.Output e = ecapa.forward(mel, frames);
        int t = e.frames(), c = EcapaTdnn.LATENT;
        float[] rows = new float[t * c];
        for (int ch = 0; ch < c; ch++) {
            for (int f = 0; f < t; f++) rows[f * c + ch] = e.latent()[ch * t + f];
        }
        float[] latents = perceiver.forward(rows, t);
        int n = config.tokenNum(), q = config.fsqNumQuantizers();
        int[] perLatent = quantizer.quantize(latents, n);
        int[] tokens = new int[q * n];
        for (int i = 0; i < n; i++) {
            for (int qi = 0; qi < q; qi++) tokens[qi * n + i] = perLatent[i * q + qi];
        }
        return new Result(e, latents, tokens);
    }
}
