package io.sparktts.core.wav2vec2;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Gemm;
import io.sparktts.kernels.LayerNorm;
import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HF {@code Wav2Vec2Model} (xlsr-53 layout) for feature extraction: conv feature encoder, feature projection
 * (LayerNorm + linear), positional conv embedding, stable-LayerNorm transformer layers. Layers are only run as far
 * as asked: Spark-TTS uses the mean of hidden states 11, 14 and 16 ({@link #featsMix}), 16 of xlsr-53's 24 layers.
 * Hidden state 0 is the embedded input, K the raw output of layer K, and only the last layer's state gets the
 * encoder's final LayerNorm (as HF's {@code output_hidden_states}).
 */
public final class Wav2Vec2Model {

    /** The hidden states Spark-TTS averages ({@code BiCodecTokenizer.extract_wav2vec2_features}). */
    public static final int[] MIX_LAYERS = {11, 14, 16};

    /** Receives hidden state {@code index} as {@code [frames][hidden]} (a copy the receiver may keep). */
    @FunctionalInterface
    public interface HiddenStates {
        void accept(int index, float[] state);
    }

    /** {@code extractFeatures} is the conv encoder output {@code [frames][convDim]}, {@code hidden} the last state. */
    public record Output(int frames, float[] extractFeatures, float[] hidden) {}

    private final Wav2Vec2Config config;
    private final ConvFeatureEncoder featureEncoder;
    private final float[] projectionNormWeight, projectionNormBias;
    private final Gemm.Packed projection;
    private final float[] projectionBias;
    private final PositionalConvEmbedding positional;
    private final Wav2Vec2EncoderLayer[] layers;
    private final float[] finalNormWeight, finalNormBias;

    private Wav2Vec2Model(Wav2Vec2Config config, ConvFeatureEncoder featureEncoder, float[][] projectionNorm,
                          Gemm.Packed projection, float[] projectionBias, PositionalConvEmbedding positional,
                          Wav2Vec2EncoderLayer[] layers, float[][] finalNorm) {
        this.config = config;
        this.featureEncoder = featureEncoder;
        projectionNormWeight = projectionNorm[0];
        projectionNormBias = projectionNorm[1];
        this.projection = projection;
        this.projectionBias = projectionBias;
        this.positional = positional;
        this.layers = layers;
        finalNormWeight = finalNorm[0];
        finalNormBias = finalNorm[1];
    }

    /**
     * Loads {@code config.json} and {@code model.safetensors} or {@code pytorch_model.bin} from {@code dir}, reading
     * only the first {@code maxLayers} transformer layers (all when it exceeds the config's count).
     */
    public static Wav2Vec2Model load(Path dir, int maxLayers) throws IOException {
        Wav2Vec2Config config = Wav2Vec2Config.load(dir.resolve("config.json"));
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            weights = dir.resolve("pytorch_model.bin");
        }
        if (!Files.isRegularFile(weights)) {
            throw new SparkTtsException(dir + ": no model.safetensors or pytorch_model.bin (the wav2vec2 weights)");
        }
        try (TensorStore store = TensorStore.open(weights)) {
            return load(store, config, maxLayers);
        }
    }

    /**
     * Reads the weights from {@code store}: Wav2Vec2Model names, optionally under the {@code wav2vec2.} prefix of
     * a Wav2Vec2ForPreTraining checkpoint (its pretraining heads are ignored). Copies what it keeps.
     */
    public static Wav2Vec2Model load(TensorStore store, Wav2Vec2Config config, int maxLayers) throws CheckpointException {
        Weights root = Weights.of(store);
        if (!root.contains("feature_extractor.conv_layers.0.conv.weight")
                && root.contains("wav2vec2.feature_extractor.conv_layers.0.conv.weight")) {
            root = root.child("wav2vec2");
        }
        int h = config.hiddenSize();
        ConvFeatureEncoder encoder = ConvFeatureEncoder.load(root.child("feature_extractor"), config);
        int conv = encoder.outChannels();
        Weights fp = root.child("feature_projection");
        float[][] projectionNorm = {fp.floats("layer_norm.weight", conv), fp.floats("layer_norm.bias", conv)};
        Gemm.Packed projection = Gemm.packRows(fp.floats("projection.weight", h, conv), 0, h, conv, conv);
        Weights enc = root.child("encoder");
        PositionalConvEmbedding positional = PositionalConvEmbedding.load(enc.child("pos_conv_embed"), config);
        int count = Math.min(Math.max(maxLayers, 0), config.numHiddenLayers());
        Wav2Vec2EncoderLayer[] layers = new Wav2Vec2EncoderLayer[count];
        for (int i = 0; i < count; i++) {
            layers[i] = Wav2Vec2EncoderLayer.load(enc.child("layers." + i), config);
        }
        float[][] finalNorm = count == config.numHiddenLayers()
                ? new float[][] {enc.floats("layer_norm.weight", h), enc.floats("layer_norm.bias", h)}
                : new float[][] {null, null};
        return new Wav2Vec2Model(config, encoder, projectionNorm, projection, fp.floats("projection.bias", h),
                positional, layers, finalNorm);
    }

    public Wav2Vec2Config config() {
        return config;
    }

    /** Transformer layers loaded (the most {@link #forward} can run). */
    public int loadedLayers() {
        return layers.length;
    }

    /**
     * Runs the input values (see {@link Wav2Vec2FeatureExtractor}) through the first {@code layerCount} layers,
     * handing each hidden state 0..layerCount to {@code states} (may be null).
     */
    public Output forward(float[] inputValues, int layerCount, HiddenStates states) throws SparkTtsException {
        if (layerCount < 0 || layerCount > layers.length) {
            throw new IllegalArgumentException("layer count " + layerCount + " outside 0.." + layers.length + " loaded");
        }
        int frames = config.frames(inputValues.length);
        if (frames < 1) {
            throw new SparkTtsException("audio of " + inputValues.length + " samples is too short for wav2vec2 (needs at least "
                    + minimumSamples() + ")");
        }
        float[] features = featureEncoder.forward(inputValues, frames);
        int conv = featureEncoder.outChannels(), h = config.hiddenSize();
        float[] normed = new float[frames * conv];
        LayerNorm.rows(features, frames, conv, projectionNormWeight, projectionNormBias, config.layerNormEps(), normed);
        float[] hidden = new float[frames * h];
        Gemm.multiply(normed, 0, conv, frames, projection, projectionBias, hidden, 0, h);
        positional.addTo(hidden, frames);
        if (states != null) states.accept(0, hidden.clone());
        for (int i = 0; i < layerCount; i++) {
            layers[i].forward(hidden, frames);
            if (i + 1 == config.numHiddenLayers()) {
                LayerNorm.rows(hidden, frames, h, finalNormWeight, finalNormBias, config.layerNormEps(), hidden);
            }
            if (states != null) states.accept(i + 1, hidden.clone());
        }
        return new Output(frames, features, hidden);
    }

    /** Spark-TTS's feature mix {@code (hs[11] + hs[14] + hs[16]) / 3}, {@code [frames][hidden]}. */
    public float[] featsMix(float[] inputValues) throws SparkTtsException {
        int last = MIX_LAYERS[MIX_LAYERS.length - 1];
        if (layers.length < last) {
            throw new IllegalStateException("feature mix needs " + last + " layers, " + layers.length + " loaded");
        }
        float[][] picked = new float[MIX_LAYERS.length][];
        forward(inputValues, last, (index, state) -> {
            for (int i = 0; i < MIX_LAYERS.length; i++) {
                if (MIX_LAYERS[i] == index) picked[i] = state;
            }
        });
        float[] mix = picked[0];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (mix[i] + picked[1][i] + picked[2][i]) / 3;
        }
        return mix;
    }

    /** Shortest input giving one frame. */
    public int minimumSamples() {
        int n = 1;
        for (int i = config.convKernel().length - 1; i >= 0; i--) {
            n = (n - 1) * config.convStride()[i] + config.convKernel()[i];
        }
        return n;
    }
}
