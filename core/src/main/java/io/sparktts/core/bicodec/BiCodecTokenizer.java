package io.sparktts.core.bicodec;

import io.sparktts.core.CheckpointLayout;
import io.sparktts.core.SparkTtsException;
import io.sparktts.core.audio.AudioLoader;
import io.sparktts.core.audio.ReferenceClip;
import io.sparktts.core.wav2vec2.Wav2Vec2Config;
import io.sparktts.core.wav2vec2.Wav2Vec2FeatureExtractor;
import io.sparktts.core.wav2vec2.Wav2Vec2Model;
import io.sparktts.safetensors.TensorStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Upstream's {@code BiCodecTokenizer.tokenize(wav_path)}: load the prompt (first channel, resampled to 16 kHz,
 * volume-normalized), cut the 6-second reference clip for the speaker, run wav2vec2 on the whole prompt for the
 * feature mix, and encode both with BiCodec. Returns {@link Tokens} (global first, as upstream's facade does).
 * wav2vec2 is optional: without it only the global tokens can be made (voice cloning without a transcript needs no
 * semantic tokens). Thread-safe once loaded.
 */
public final class BiCodecTokenizer {

    /** Global (speaker) token ids and semantic token ids ({@code null} when only global tokens were asked for). */
    public record Tokens(int[] global, int[] semantic) {}

    private final BiCodecConfig config;
    private final BiCodecEncoder encoder;
    private final Wav2Vec2Model wav2vec2;

    private BiCodecTokenizer(BiCodecConfig config, BiCodecEncoder encoder, Wav2Vec2Model wav2vec2) {
        this.config = config;
        this.encoder = encoder;
        this.wav2vec2 = wav2vec2;
    }

    /**
     * Loads {@code BiCodec/} (config.yaml, model.safetensors) of a Spark-TTS checkpoint and, when
     * {@code withWav2vec2}, the first 16 layers of {@code wav2vec2-large-xlsr-53/}.
     */
    public static BiCodecTokenizer load(CheckpointLayout layout, boolean withWav2vec2) throws IOException {
        BiCodecConfig config = BiCodecConfig.load(layout.bicodec().resolve("config.yaml"));
        BiCodecEncoder encoder;
        try (TensorStore store = TensorStore.open(layout.bicodec().resolve("model.safetensors"))) {
            encoder = BiCodecEncoder.load(store, config);
        }
        Wav2Vec2Model wav2vec2 = null;
        if (withWav2vec2) {
            Wav2Vec2Config w2v = Wav2Vec2Config.load(layout.wav2vec2().resolve("config.json"));
            try (TensorStore store = TensorStore.open(layout.wav2vec2Weights())) {
                wav2vec2 = Wav2Vec2Model.load(store, w2v, Wav2Vec2Model.MIX_LAYERS[Wav2Vec2Model.MIX_LAYERS.length - 1]);
            }
        }
        return new BiCodecTokenizer(config, encoder, wav2vec2);
    }

    public BiCodecTokenizer(BiCodecEncoder encoder, Wav2Vec2Model wav2vec2) {
        this(encoder.config(), encoder, wav2vec2);
    }

    public boolean hasWav2vec2() {
        return wav2vec2 != null;
    }

    /** Tokenizes a prompt file; {@code semantic} also makes the semantic tokens (needs wav2vec2). */
    public Tokens tokenize(Path wavFile, boolean semantic) throws IOException {
        return tokenize(AudioLoader.load(wavFile, config.sampleRate(), config.volumeNormalize()), semantic);
    }

    /** Tokenizes prompt audio already loaded at the model rate and normalized (upstream's {@code load_audio}). */
    public Tokens tokenize(double[] wav, boolean semantic) throws SparkTtsException {
        int clipLength = ReferenceClip.length(config.sampleRate(), config.refSegmentDuration(), config.latentHopLength());
        float[] ref = ReferenceClip.cut(wav, clipLength);
        if (!semantic) {
            float[] mel = encoder.melSpectrogram(ref);
            return new Tokens(encoder.speakerTokens(mel, ref.length), null);
        }
        if (wav2vec2 == null) {
            throw new IllegalStateException("semantic tokens need wav2vec2; load the tokenizer with it");
        }
        float[] input = Wav2Vec2FeatureExtractor.inputValues(wav);
        int frames = wav2vec2.config().frames(input.length);
        float[] feat = wav2vec2.featsMix(input);
        BiCodecEncoder.Result r = encoder.encode(feat, frames, ref);
        return new Tokens(r.globalTokens(), r.semanticTokens());
    }
}
