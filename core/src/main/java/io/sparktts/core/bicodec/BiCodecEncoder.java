package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.audio.MelSpectrogram;
import io.sparktts.core.weights.Weights;
import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.TensorStore;

/**
 * The encoding half of upstream's {@code BiCodec.tokenize}: wav2vec2 features through the feature encoder and the
 * factorized VQ to semantic tokens; the reference clip's mel spectrogram through the speaker tokenizer to global
 * tokens.
 */
public final class BiCodecEncoder {

    /** Every stage's output, channels-first like upstream's tensors without the batch axis. */
    public record Result(float[] mel, int melFrames, float[] encoderOut, int frames, int[] semanticTokens,
                         SpeakerTokenizer.Result speaker) {
        public int[] globalTokens() {
            return speaker.globalTokens();
        }
    }

    private final BiCodecConfig config;
    private final MelSpectrogram mel;
    private final FeatEncoder encoder;
    private final FactorizedVectorQuantize quantizer;
    private final SpeakerTokenizer speaker;

    private BiCodecEncoder(BiCodecConfig config, FeatEncoder encoder, FactorizedVectorQuantize quantizer,
                           SpeakerTokenizer speaker) {
        this.config = config;
        BiCodecConfig.MelParams m = config.melParams();
        this.mel = new MelSpectrogram(m.sampleRate(), m.nFft(), m.winLength(), m.hopLength(), m.melFmin(),
                m.melFmax() == null ? m.sampleRate() / 2 : m.melFmax(), m.numMels());
        this.encoder = encoder;
        this.quantizer = quantizer;
        this.speaker = speaker;
    }

    /** Loads a BiCodec folder: {@code config.yaml} and {@code model.safetensors}. */
    public static BiCodecEncoder load(java.nio.file.Path dir) throws java.io.IOException {
        BiCodecConfig config = BiCodecConfig.load(dir.resolve("config.yaml"));
        try (TensorStore store = TensorStore.open(dir.resolve("model.safetensors"))) {
            return load(store, config);
        }
    }

    /** Reads {@code encoder.*}, {@code quantizer.*} and {@code speaker_encoder.*} (copies; the store may close). */
    public static BiCodecEncoder load(TensorStore store, BiCodecConfig config) throws CheckpointException {
        Weights w = Weights.of(store);
        return new BiCodecEncoder(config, FeatEncoder.load(w.child("encoder"), config.encoder()),
                FactorizedVectorQuantize.load(w.child("quantizer"), config.quantizer()),
                SpeakerTokenizer.load(w.child("speaker_encoder"), config.speakerEncoder()));
    }

    public BiCodecConfig config() {
        return config;
    }

    /**
     * {@code feat [frames][inputChannels]} (the wav2vec2 feature mix, frame-major as it comes out of wav2vec2) and
     * the reference clip to both token kinds.
     */
    public Result encode(float[] feat, int frames, float[] refWav) throws SparkTtsException {
        int in = config.encoder().inputChannels();
        if (frames < 1 || feat.length != frames * in) {
            throw new SparkTtsException("BiCodec encoder needs features of [frames][" + in + "], got " + feat.length
                    + " values for " + frames + " frames");
        }
        float[] channels = new float[feat.length];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < in; c++) channels[c * frames + t] = feat[t * in + c];
        }
        float[] z = encoder.forward(channels, frames);
        int outFrames = encoder.outputFrames(frames);
        int[] semantic = quantizer.tokenize(z, outFrames);
        float[] m = melSpectrogram(refWav);
        int melFrames = mel.frames(refWav.length);
        return new Result(m, melFrames, z, outFrames, semantic, speaker.tokenize(m, melFrames));
    }

    /** Global tokens alone from the reference clip's mel spectrogram (as {@link #melSpectrogram} makes it). */
    public int[] speakerTokens(float[] mel, int clipSamples) {
        return speaker.tokenize(mel, this.mel.frames(clipSamples)).globalTokens();
    }

    /** The reference clip's mel spectrogram {@code [numMels][frames]}. */
    public float[] melSpectrogram(float[] refWav) throws SparkTtsException {
        int minimum = config.melParams().nFft() / 2 + 1;
        if (refWav.length < minimum) {
            throw new SparkTtsException("reference clip of " + refWav.length + " samples is too short (needs " + minimum + ")");
        }
        return mel.compute(refWav);
    }
}
