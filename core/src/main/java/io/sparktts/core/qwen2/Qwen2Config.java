package io.sparktts.core.qwen2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparktts.core.SparkTtsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The shape of a Qwen2 causal LM, read from a HF {@code config.json}. Only the architecture this library
 * implements is accepted: SiLU MLP, default RoPE, full attention. A field asking for anything else (RoPE scaling,
 * sliding windows, another activation) is an error rather than silently ignored.
 */
public record Qwen2Config(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
                          int vocabSize, int maxPositions, double ropeTheta, float rmsNormEps,
                          boolean tieWordEmbeddings) {

    /** Fields that do not change inference (ids, dtypes, training settings, bookkeeping). */
    private static final Set<String> IGNORED = Set.of("architectures", "attention_dropout", "bos_token_id",
            "eos_token_id", "pad_token_id", "initializer_range", "torch_dtype", "dtype", "transformers_version",
            "use_cache", "max_window_layers", "sliding_window", "_name_or_path", "output_attentions",
            "output_hidden_states", "return_dict");
    private static final Set<String> READ = Set.of("model_type", "hidden_size", "intermediate_size",
            "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "vocab_size", "max_position_embeddings",
            "rope_theta", "rms_norm_eps", "tie_word_embeddings", "hidden_act", "use_sliding_window", "rope_scaling",
            "head_dim", "attention_bias", "use_mrope", "layer_types", "rope_parameters");

    public Qwen2Config {
        if (hiddenSize <= 0 || intermediateSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKvHeads <= 0
                || vocabSize <= 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("Qwen2 sizes must be positive: " + this);
        }
        if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not an even head dimension times "
                    + numHeads + " heads");
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException(numHeads + " attention heads are not a multiple of " + numKvHeads
                    + " key/value heads");
        }
        if (!(ropeTheta > 0) || !(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rope_theta " + ropeTheta + " and rms_norm_eps " + rmsNormEps
                    + " must be positive");
        }
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Width of the key and value projections (all key/value heads). */
    public int kvDim() {
        return numKvHeads * headDim();
    }

    public static Qwen2Config read(Path configJson) throws IOException {
        if (!Files.isRegularFile(configJson)) {
            throw new SparkTtsException(configJson + ": no such file (the Qwen2 config.json)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configJson.toFile());
        } catch (IOException e) {
            throw new SparkTtsException(configJson + ": not valid JSON: " + e.getMessage(), e);
        }
        return parse(root, configJson.toString());
    }

    /** Parses a config object; {@code source} names it in error messages. */
    public static Qwen2Config parse(JsonNode root, String source) throws SparkTtsException {
        if (root == null || !root.isObject()) {
            throw new SparkTtsException(source + ": a Qwen2 config must be a JSON object");
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!READ.contains(field) && !IGNORED.contains(field)) {
                throw new SparkTtsException(source + ": unsupported Qwen2 config field '" + field + "'");
            }
        }
        String type = text(root, source, "model_type", "qwen2");
        if (!type.equals("qwen2")) {
            throw new SparkTtsException(source + ": model_type '" + type + "' is not qwen2");
        }
        String act = text(root, source, "hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new SparkTtsException(source + ": hidden_act '" + act + "' is not supported (only silu)");
        }
        if (bool(root, source, "use_sliding_window", false)) {
            throw new SparkTtsException(source + ": use_sliding_window true is not supported (full attention only)");
        }
        if (root.has("rope_scaling") && !root.get("rope_scaling").isNull()) {
            throw new SparkTtsException(source + ": rope_scaling " + root.get("rope_scaling") + " is not supported");
        }
        JsonNode layerTypes = root.get("layer_types");
        if (layerTypes != null && !layerTypes.isNull()) {
            for (JsonNode t : layerTypes) {
                if (!t.asText().equals("full_attention")) {
                    throw new SparkTtsException(source + ": layer_types entry " + t + " is not supported (full_attention only)");
                }
            }
        }
        double theta = number(root, source, "rope_theta", 10000.0);
        JsonNode ropeParameters = root.get("rope_parameters");
        if (ropeParameters != null && !ropeParameters.isNull()) {
            JsonNode ropeType = ropeParameters.get("rope_type");
            if (ropeType != null && !ropeType.asText().equals("default") || ropeParameters.size() > 2
                    || ropeParameters.size() == 2 && ropeType == null) {
                throw new SparkTtsException(source + ": rope_parameters " + ropeParameters + " is not supported (default RoPE only)");
            }
            theta = number(ropeParameters, source, "rope_theta", theta);
        }
        if (bool(root, source, "use_mrope", false)) {
            throw new SparkTtsException(source + ": use_mrope true is not supported");
        }
        if (!bool(root, source, "attention_bias", true)) {
            throw new SparkTtsException(source + ": attention_bias false is not supported (Qwen2 has q/k/v biases)");
        }
        int hidden = integer(root, source, "hidden_size", null);
        int heads = integer(root, source, "num_attention_heads", null);
        if (root.has("head_dim") && !root.get("head_dim").isNull()
                && integer(root, source, "head_dim", null) * heads != hidden) {
            throw new SparkTtsException(source + ": head_dim " + root.get("head_dim") + " times " + heads
                    + " heads is not hidden_size " + hidden);
        }
        try {
            return new Qwen2Config(hidden,
                    integer(root, source, "intermediate_size", null),
                    integer(root, source, "num_hidden_layers", null),
                    heads,
                    integer(root, source, "num_key_value_heads", heads),
                    integer(root, source, "vocab_size", null),
                    integer(root, source, "max_position_embeddings", 32768),
                    theta,
                    (float) number(root, source, "rms_norm_eps", 1e-6),
                    bool(root, source, "tie_word_embeddings", false));
        } catch (IllegalArgumentException e) {
            throw new SparkTtsException(source + ": " + e.getMessage());
        }
    }

    private static JsonNode field(JsonNode root, String source, String name, boolean required) throws SparkTtsException {
        JsonNode v = root.get(name);
        if ((v == null || v.isNull()) && required) {
            throw new SparkTtsException(source + ": missing Qwen2 config field '" + name + "'");
        }
        return v == null || v.isNull() ? null : v;
    }

    private static int integer(JsonNode root, String source, String name, Integer fallback) throws SparkTtsException {
        JsonNode v = field(root, source, name, fallback == null);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SparkTtsException(source + ": Qwen2 config field '" + name + "' is " + v + ", not an integer");
        }
        return v.intValue();
    }

    private static double number(JsonNode root, String source, String name, double fallback) throws SparkTtsException {
        JsonNode v = field(root, source, name, false);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new SparkTtsException(source + ": Qwen2 config field '" + name + "' is " + v + ", not a number");
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode root, String source, String name, boolean fallback) throws SparkTtsException {
        JsonNode v = field(root, source, name, false);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new SparkTtsException(source + ": Qwen2 config field '" + name + "' is " + v + ", not true or false");
        }
        return v.booleanValue();
    }

    private static String text(JsonNode root, String source, String name, String fallback) throws SparkTtsException {
        JsonNode v = field(root, source, name, false);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new SparkTtsException(source + ": Qwen2 config field '" + name + "' is " + v + ", not a string");
        }
        return v.asText();
    }
}
