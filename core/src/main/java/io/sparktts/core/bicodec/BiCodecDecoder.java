package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.safetensors.TensorStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * BiCodec's token-to-waveform side (upstream {@code BiCodec.detokenize}): semantic tokens through the factorized
 * VQ to {@code z_q}, global tokens through the speaker encoder's FSQ to the d-vector, the prenet conditioned on
 * it, the d-vector added along time, and the WaveGenerator. Weights are copied into memory at load, so the
 * checkpoint file is closed afterwards. Immutable and thread-safe.
 */
public final class BiCodecDecoder {

    private final BiCodecConfig config;
    private final FactorizedVectorQuantize quantizer;
    private final SpeakerEncoder speakerEncoder;
    private final FeatDecoder prenet;
    private final WaveGenerator waveGenerator;

    private BiCodecDecoder(BiCodecConfig config, FactorizedVectorQuantize quantizer, SpeakerEncoder speakerEncoder,
                           FeatDecoder prenet, WaveGenerator waveGenerator) {
        this.config = config;
        this.quantizer = quantizer;
        this.speakerEncoder = speakerEncoder;
        this.prenet = prenet;
        this.waveGenerator = waveGenerator;
    }

    /** Loads {@code dir/config.yaml} and {@code dir/model.safetensors} (the released {@code BiCodec} folder). */
    public static BiCodecDecoder load(Path dir) throws IOException {
        BiCodecConfig config = BiCodecConfig.load(dir.resolve("config.yaml"));
        try (TensorStore store = TensorStore.open(dir.resolve("model.safetensors"))) {
            return load(config, store);
        }
    }

    /** Builds the decoder from an open checkpoint; the store may be closed afterwards. */
    public static BiCodecDecoder load(BiCodecConfig config, TensorStore store) throws IOException {
        checkWiring(config);
        Weights w = Weights.of(store);
        return new BiCodecDecoder(config,
                FactorizedVectorQuantize.load(w.child("quantizer"), config.quantizer()),
                SpeakerEncoder.load(w.child("speaker_encoder"), config.speakerEncoder()),
                FeatDecoder.load(w.child("prenet"), config.prenet()),
                WaveGenerator.load(w.child("decoder.model"), config.decoder()));
    }

    private static void checkWiring(BiCodecConfig c) throws SparkTtsException {
        int latent = c.quantizer().inputDim();
        int prenetOut = c.prenet().outChannels();
        requireEqual("quantizer.input_dim", latent, "prenet.input_channels", c.prenet().inputChannels());
        requireEqual("speaker_encoder.out_dim", c.speakerEncoder().outDim(), "prenet.condition_dim",
                c.prenet().conditionDim() == null ? -1 : c.prenet().conditionDim());
        requireEqual("speaker_encoder.out_dim", c.speakerEncoder().outDim(), "prenet.out_channels", prenetOut);
        requireEqual("prenet.out_channels", prenetOut, "decoder.input_channel", c.decoder().inputChannel());
    }

    private static void requireEqual(String a, int va, String b, int vb) throws SparkTtsException {
        if (va != vb) {
            throw new SparkTtsException("BiCodec config: audio_tokenizer." + a + " (" + va + ") must equal audio_tokenizer."
                    + b + " (" + (vb < 0 ? "absent" : vb) + ")");
        }
    }

    public BiCodecConfig config() {
        return config;
    }

    public FactorizedVectorQuantize quantizer() {
        return quantizer;
    }

    public SpeakerEncoder speakerEncoder() {
        return speakerEncoder;
    }

    public FeatDecoder prenet() {
        return prenet;
    }

    public WaveGenerator waveGenerator() {
        return waveGenerator;
    }

    /** Samples of audio for {@code frames} semantic tokens. */
    public int outputLength(int frames) {
        return waveGenerator.outputLength(prenet.outputLength(frames));
    }

    /** Semantic and global tokens to 16 kHz mono samples in (-1, 1). */
    public float[] decode(int[] semanticTokens, int[] globalTokens) throws SparkTtsException {
        return decodeWithIntermediates(semanticTokens, globalTokens).waveform();
    }

    /** What {@link #decodeWithIntermediates} computes, channels-first; {@code frames} is the prenet's output length. */
    public record Decoded(float[] zq, float[] dVector, float[] prenetOut, int frames, float[] waveform) {}

    public Decoded decodeWithIntermediates(int[] semanticTokens, int[] globalTokens) throws SparkTtsException {
        float[] zq = quantizer.detokenize(semanticTokens);
        float[] dVector = speakerEncoder.detokenize(globalTokens);
        float[] prenetOut = prenet.forward(zq, semanticTokens.length, dVector);
        int frames = prenet.outputLength(semanticTokens.length);
        int channels = prenet.config().outChannels();
        float[] x = prenetOut.clone();
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < frames; t++) x[c * frames + t] += dVector[c];
        }
        return new Decoded(zq, dVector, prenetOut, frames, waveGenerator.forward(x, frames));
    }
}
