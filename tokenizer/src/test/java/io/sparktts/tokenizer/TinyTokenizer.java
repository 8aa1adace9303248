package io.sparktts.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A small tokenizer.json in the Qwen2 format for tests: the 256 byte tokens (id = byte value), "ab" = 256 and
 * "abc" = 257 from the merges "a b" and "ab c", and the added tokens a test puts in {@link #added}.
 */
final class TinyTokenizer {
    static final ObjectMapper MAPPER = new ObjectMapper();
    final ObjectNode root = MAPPER.createObjectNode();
    final ArrayNode added = root.putArray("added_tokens");

    TinyTokenizer() {
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", Qwen2PreTokenizer.PATTERN);
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", false);
        root.putObject("post_processor").put("type", "ByteLevel");
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model").put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(ByteLevel.charOf(b)), b);
        }
        vocab.put("ab", 256);
        vocab.put("abc", 257);
        model.putArray("merges").add("a b").add("ab c");
    }

    /** Adds an added token with the given id and flags. */
    TinyTokenizer add(String content, int id, boolean special, boolean normalized, boolean lstrip, boolean rstrip,
                      boolean singleWord) {
        added.addObject().put("id", id).put("content", content).put("special", special).put("normalized", normalized)
                .put("lstrip", lstrip).put("rstrip", rstrip).put("single_word", singleWord);
        return this;
    }

    ObjectNode model() {
        return (ObjectNode) root.get("model");
    }

    Path write(Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        MAPPER.writeValue(file.toFile(), root);
        return file;
    }

    Tokenizer load(Path dir) throws IOException {
        return Tokenizer.load(write(dir));
    }
}
