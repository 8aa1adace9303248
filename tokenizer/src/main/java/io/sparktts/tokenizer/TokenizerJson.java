package io.sparktts.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json}. Only the pipeline of Qwen2 is accepted (BPE model, NFC or no
 * normalizer, the Qwen2 split then ByteLevel, ByteLevel decoder); any other component is refused by name rather
 * than tokenized differently.
 */
final class TokenizerJson {
    /** Without field-name interning: a vocabulary's 150k keys would each go through String.intern. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build());

    private TokenizerJson() {}

    static TokenizerDefinition read(Path file) throws IOException {
        JsonNode root = readJson(file);
        if (!root.isObject()) {
            throw TokenizerException.of(file, "not a tokenizer.json: the top level is not a JSON object");
        }
        JsonNode version = root.path("version");
        if (!version.isMissingNode() && !version.asText().equals("1.0")) {
            throw TokenizerException.of(file, "unknown tokenizer.json version '" + version.asText() + "'");
        }
        for (String unsupported : List.of("truncation", "padding")) {
            if (!isAbsent(root.path(unsupported))) {
                throw TokenizerException.of(file, "unsupported " + unsupported + " " + brief(root.get(unsupported))
                        + ": only tokenizers without " + unsupported + " are supported");
            }
        }
        boolean nfc = readNormalizer(file, root.path("normalizer"));
        checkPreTokenizer(file, root.path("pre_tokenizer"));
        JsonNode postProcessor = root.path("post_processor");
        if (!isAbsent(postProcessor) && !type(postProcessor).equals("ByteLevel")) {
            throw TokenizerException.of(file, "unsupported post_processor " + brief(postProcessor)
                    + ": only ByteLevel (which adds no tokens) or none is supported");
        }
        JsonNode decoder = root.path("decoder");
        if (!type(decoder).equals("ByteLevel")) {
            throw TokenizerException.of(file, "unsupported decoder " + brief(decoder) + ": only ByteLevel is supported");
        }
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            throw TokenizerException.of(file, "no model object");
        }
        String modelType = type(model);
        if (!modelType.isEmpty() && !modelType.equals("BPE")) {
            throw TokenizerException.of(file, "unsupported model type '" + modelType + "': only BPE is supported");
        }
        JsonNode dropout = model.path("dropout");
        if (!isAbsent(dropout) && dropout.asDouble() != 0) {
            throw TokenizerException.of(file, "unsupported BPE dropout " + dropout + ": only deterministic BPE is supported");
        }
        for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            JsonNode a = model.path(affix);
            if (!isAbsent(a) && !a.asText().isEmpty()) {
                throw TokenizerException.of(file, "unsupported BPE " + affix + " '" + a.asText() + "'");
            }
        }
        if (model.path("byte_fallback").asBoolean(false)) {
            throw TokenizerException.of(file, "unsupported BPE byte_fallback true: byte-level BPE needs no fallback");
        }
        boolean ignoreMerges = model.path("ignore_merges").asBoolean(false);
        Map<String, Integer> vocab = readVocab(file, model.path("vocab"), "model.vocab");
        List<String[]> merges = readMerges(file, model.path("merges"));
        List<AddedToken> added = readAddedTokens(file, root.path("added_tokens"));
        return new TokenizerDefinition(file, vocab, merges, added, nfc, ignoreMerges);
    }

    static JsonNode readJson(Path file) throws IOException {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new TokenizerException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code {"token": id, ...}}, as in tokenizer.json's model and in vocab.json. */
    static Map<String, Integer> readVocab(Path file, JsonNode node, String what) throws TokenizerException {
        if (!node.isObject()) {
            throw TokenizerException.of(file, what + " is not a JSON object of token ids");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode id = e.getValue();
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.intValue() < 0) {
                throw TokenizerException.of(file, what + ": token '" + e.getKey() + "' has id " + id
                        + ", not a non-negative integer");
            }
            vocab.put(e.getKey(), id.intValue());
        }
        return vocab;
    }

    private static boolean readNormalizer(Path file, JsonNode normalizer) throws TokenizerException {
        if (isAbsent(normalizer)) {
            return false;
        }
        if (type(normalizer).equals("NFC")) {
            return true;
        }
        throw TokenizerException.of(file, "unsupported normalizer " + brief(normalizer) + ": only NFC or none is supported");
    }

    private static void checkPreTokenizer(Path file, JsonNode pre) throws TokenizerException {
        JsonNode steps = pre.path("pretokenizers");
        boolean qwen2 = type(pre).equals("Sequence") && steps.isArray() && steps.size() == 2
                && type(steps.get(0)).equals("Split")
                && steps.get(0).path("pattern").path("Regex").asText("").equals(Qwen2PreTokenizer.PATTERN)
                && steps.get(0).path("behavior").asText("").equals("Isolated")
                && !steps.get(0).path("invert").asBoolean(false)
                && type(steps.get(1)).equals("ByteLevel")
                && !steps.get(1).path("add_prefix_space").asBoolean(true)
                && !steps.get(1).path("use_regex").asBoolean(true);
        if (!qwen2) {
            throw TokenizerException.of(file, "unsupported pre_tokenizer " + brief(pre) + ": only Qwen2's is supported"
                    + " (Sequence of Split with the Qwen2 pattern, behavior Isolated, not inverted, then ByteLevel"
                    + " with add_prefix_space false and use_regex false)");
        }
    }

    /** Merges as {@code "left right"} strings (tokenizers before 0.20) or {@code ["left", "right"]} pairs. */
    private static List<String[]> readMerges(Path file, JsonNode node) throws TokenizerException {
        if (!node.isArray()) {
            throw TokenizerException.of(file, "model.merges is not an array");
        }
        List<String[]> merges = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            if (m.isTextual()) {
                String line = m.textValue();
                if (line.startsWith("#version")) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
                    throw TokenizerException.of(file, "model.merges[" + i + "] '" + line
                            + "' is not two tokens separated by one space");
                }
                merges.add(new String[] {line.substring(0, space), line.substring(space + 1)});
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                merges.add(new String[] {m.get(0).textValue(), m.get(1).textValue()});
            } else {
                throw TokenizerException.of(file, "model.merges[" + i + "] " + brief(m)
                        + " is neither \"left right\" nor [\"left\", \"right\"]");
            }
        }
        return merges;
    }

    private static List<AddedToken> readAddedTokens(Path file, JsonNode node) throws TokenizerException {
        if (isAbsent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw TokenizerException.of(file, "added_tokens is not an array");
        }
        List<AddedToken> tokens = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            JsonNode id = t.path("id");
            if (!t.path("content").isTextual() || !id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                throw TokenizerException.of(file, "added_tokens[" + i + "] " + brief(t)
                        + " needs a string content and a non-negative integer id");
            }
            tokens.add(addedToken(t, id.intValue()));
        }
        return tokens;
    }

    /** An added token from its JSON object, with the defaults of Hugging Face's AddedToken for absent flags. */
    static AddedToken addedToken(JsonNode t, int id) {
        boolean special = t.path("special").asBoolean(false);
        return new AddedToken(t.path("content").asText(), id, special, t.path("normalized").asBoolean(!special),
                t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                t.path("single_word").asBoolean(false));
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private static String type(JsonNode node) {
        return node == null ? "" : node.path("type").asText("");
    }

    /** The JSON of a component, shortened for a one-line message. */
    private static String brief(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
