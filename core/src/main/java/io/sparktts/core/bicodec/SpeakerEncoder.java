package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.MatMul;
import io.sparktts.safetensors.CheckpointException;

/**
 * The global (speaker) side of BiCodec. Detokenize: {@code tokenNum} global token ids -> residual FSQ codes
 * {@code [tokenNum][latentDim]} -> flattened latent-major ({@code c * tokenNum + n}, upstream's transpose then
 * reshape) -> linear -> the d-vector of {@code outDim}.
 */
public final class SpeakerEncoder {

    private final BiCodecConfig.SpeakerEncoderConfig config;
    private final ResidualFSQ quantizer;
    private final float[] projectWeight;
    private final float[] projectBias;

    private SpeakerEncoder(BiCodecConfig.SpeakerEncoderConfig config, ResidualFSQ quantizer, float[] projectWeight,
                           float[] projectBias) {
        this.config = config;
        this.quantizer = quantizer;
        this.projectWeight = projectWeight;
        this.projectBias = projectBias;
    }

    /** Reads {@code quantizer.*} and {@code project.*} under {@code w} (the {@code speaker_encoder} prefix). */
    public static SpeakerEncoder load(Weights w, BiCodecConfig.SpeakerEncoderConfig c) throws CheckpointException {
        ResidualFSQ fsq = ResidualFSQ.load(w.child("quantizer"), c.fsqLevels(), c.fsqNumQuantizers(), c.latentDim());
        int flat = c.latentDim() * c.tokenNum();
        return new SpeakerEncoder(c, fsq, w.floats("project.weight", c.outDim(), flat),
                w.floats("project.bias", c.outDim()));
    }

    public BiCodecConfig.SpeakerEncoderConfig config() {
        return config;
    }

    public ResidualFSQ quantizer() {
        return quantizer;
    }

    /**
     * Global tokens to the d-vector. {@code tokens} is upstream's {@code [numQuantizers][tokenNum]} (for the released
     * single quantizer: just the {@code tokenNum} ids).
     */
    public float[] detokenize(int[] tokens) throws SparkTtsException {
        int n = config.tokenNum(), q = config.fsqNumQuantizers(), latent = config.latentDim();
        if (tokens.length != n * q) {
            throw new SparkTtsException("expected " + n * q + " global tokens, got " + tokens.length);
        }
        int[] perToken = new int[n * q];
        for (int qi = 0; qi < q; qi++) {
            for (int t = 0; t < n; t++) perToken[t * q + qi] = tokens[qi * n + t];
        }
        float[] codes = quantizer.indicesToOutput(perToken, n);
        float[] flat = new float[latent * n];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < latent; c++) flat[c * n + t] = codes[t * latent + c];
        }
        float[] dVector = new float[config.outDim()];
        MatMul.linear(flat, 1, flat.length, projectWeight, projectBias, config.outDim(), dVector);
        return dVector;
    }
}
