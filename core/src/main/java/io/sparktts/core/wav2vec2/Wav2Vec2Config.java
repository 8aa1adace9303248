package io.sparktts.core.wav2vec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparktts.core.SparkTtsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The parts of a Hugging Face {@code Wav2Vec2Config} ({@code config.json}) inference reads. Only the xlsr-53 family
 * is supported: LayerNorm conv feature encoder ({@code feat_extract_norm "layer"}), stable-LayerNorm transformer
 * ({@code do_stable_layer_norm true}), exact GELU everywhere; anything else is refused by name.
 */
public record Wav2Vec2Config(int hiddenSize, int numHiddenLayers, int numAttentionHeads, int intermediateSize,
                             int[] convDim, int[] convKernel, int[] convStride, boolean convBias,
                             int numConvPosEmbeddings, int numConvPosEmbeddingGroups, float layerNormEps) {

    public Wav2Vec2Config {
        convDim = convDim.clone();
        convKernel = convKernel.clone();
        convStride = convStride.clone();
    }

    public static Wav2Vec2Config load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new SparkTtsException(file + ": no such file (the wav2vec2 config.json)");
        } catch (IOException e) {
            throw new SparkTtsException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    public static Wav2Vec2Config parse(JsonNode root, String src) throws SparkTtsException {
        requireText(root, "feat_extract_norm", "layer", src);
        requireText(root, "feat_extract_activation", "gelu", src);
        requireText(root, "hidden_act", "gelu", src);
        if (!root.path("do_stable_layer_norm").asBoolean(false)) {
            throw new SparkTtsException(src + ": do_stable_layer_norm must be true (xlsr-53 layout); post-LayerNorm wav2vec2 models are not supported");
        }
        int hidden = positive(root, "hidden_size", src);
        int heads = positive(root, "num_attention_heads", src);
        if (hidden % heads != 0) {
            throw new SparkTtsException(src + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        int[] dim = ints(root, "conv_dim", src), kernel = ints(root, "conv_kernel", src), stride = ints(root, "conv_stride", src);
        if (dim.length != kernel.length || dim.length != stride.length) {
            throw new SparkTtsException(src + ": conv_dim, conv_kernel and conv_stride differ in length");
        }
        int groups = positive(root, "num_conv_pos_embedding_groups", src);
        if (hidden % groups != 0) {
            throw new SparkTtsException(src + ": hidden_size " + hidden + " is not a multiple of num_conv_pos_embedding_groups " + groups);
        }
        JsonNode eps = root.path("layer_norm_eps");
        return new Wav2Vec2Config(hidden, positive(root, "num_hidden_layers", src), heads,
                positive(root, "intermediate_size", src), dim, kernel, stride, root.path("conv_bias").asBoolean(false),
                positive(root, "num_conv_pos_embeddings", src), groups, eps.isNumber() ? eps.floatValue() : 1e-5f);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Frames the conv encoder makes from {@code samples} (0 when too short). */
    public int frames(int samples) {
        long n = samples;
        for (int i = 0; i < convKernel.length; i++) {
            n = n < convKernel[i] ? 0 : (n - convKernel[i]) / convStride[i] + 1;
        }
        return (int) n;
    }

    private static void requireText(JsonNode root, String key, String want, String src) throws SparkTtsException {
        String got = root.path(key).asText(null);
        if (!want.equals(got)) {
            throw new SparkTtsException(src + ": " + key + " is " + (got == null ? "missing" : "'" + got + "'")
                    + "; only '" + want + "' (the xlsr-53 layout) is supported");
        }
    }

    private static int positive(JsonNode root, String key, String src) throws SparkTtsException {
        JsonNode n = root.path(key);
        if (!n.canConvertToInt() || n.asInt() < 1) {
            throw new SparkTtsException(src + ": " + key + " must be a positive integer, got " + (n.isMissingNode() ? "nothing" : n.toString()));
        }
        return n.asInt();
    }

    private static int[] ints(JsonNode root, String key, String src) throws SparkTtsException {
        JsonNode n = root.path(key);
        if (!n.isArray() || n.isEmpty()) {
            throw new SparkTtsException(src + ": " + key + " must be a non-empty list of positive integers");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).canConvertToInt() || n.get(i).asInt() < 1) {
                throw new SparkTtsException(src + ": " + key + "[" + i + "] must be a positive integer, got " + n.get(i));
            }
            out[i] = n.get(i).asInt();
        }
        return out;
    }
}
