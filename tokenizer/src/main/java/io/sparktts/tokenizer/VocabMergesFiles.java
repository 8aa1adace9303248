package io.sparktts.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a folder without {@code tokenizer.json} the way {@code transformers} builds a Qwen2 fast tokenizer from the
 * slow one's files: {@code vocab.json} and {@code merges.txt} with the Qwen2 pipeline, then the added tokens of
 * {@code tokenizer_config.json}'s {@code added_tokens_decoder} (or, in older folders, {@code added_tokens.json}),
 * then the configured special tokens that are not among them yet.
 */
final class VocabMergesFiles {
    /** transformers' SPECIAL_TOKENS_ATTRIBUTES, in its order. */
    private static final List<String> SPECIAL_ATTRIBUTES = List.of(
            "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");
    /** Qwen2Tokenizer's defaults for special tokens the config does not name. */
    private static final Map<String, String> QWEN2_DEFAULTS = Map.of(
            "eos_token", "<|endoftext|>", "unk_token", "<|endoftext|>", "pad_token", "<|endoftext|>");

    private VocabMergesFiles() {}

    static TokenizerDefinition read(Path dir) throws IOException {
        Path vocabFile = dir.resolve("vocab.json");
        Path mergesFile = dir.resolve("merges.txt");
        Map<String, Integer> vocab = TokenizerJson.readVocab(vocabFile, TokenizerJson.readJson(vocabFile), "vocab.json");
        List<String[]> merges = readMerges(mergesFile);

        Path configFile = dir.resolve("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? TokenizerJson.readJson(configFile) : null;
        if (config != null) {
            checkConfig(configFile, config);
        }
        List<AddedToken> configured = specialTokens(config);
        Set<String> specials = new HashSet<>();
        for (AddedToken t : configured) {
            specials.add(t.content());
        }

        List<AddedToken> added = new ArrayList<>();
        JsonNode decoder = config == null ? null : config.get("added_tokens_decoder");
        if (decoder != null && decoder.isObject()) {
            TreeMap<Integer, AddedToken> byIndex = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : decoder.properties()) {
                int index = parseIndex(configFile, e.getKey());
                if (!e.getValue().path("content").isTextual()) {
                    throw TokenizerException.of(configFile, "added_tokens_decoder[" + e.getKey() + "] has no string content");
                }
                byIndex.put(index, TokenizerJson.addedToken(e.getValue(), index));
            }
            added.addAll(byIndex.values());
        } else {
            Path addedFile = dir.resolve("added_tokens.json");
            if (Files.isRegularFile(addedFile)) {
                Map<String, Integer> ids = TokenizerJson.readVocab(addedFile, TokenizerJson.readJson(addedFile),
                        "added_tokens.json");
                TreeMap<Integer, AddedToken> byIndex = new TreeMap<>();
                for (Map.Entry<String, Integer> e : ids.entrySet()) {
                    boolean special = specials.contains(e.getKey());
                    byIndex.put(e.getValue(), new AddedToken(e.getKey(), e.getValue(), special, !special,
                            false, false, false));
                }
                added.addAll(byIndex.values());
            }
        }
        // transformers marks as special every added token that a special-token attribute names
        List<AddedToken> all = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (AddedToken t : added) {
            boolean special = t.special() || specials.contains(t.content());
            all.add(new AddedToken(t.content(), t.declaredId(), special, t.normalized(), t.lstrip(), t.rstrip(),
                    t.singleWord()));
            present.add(t.content());
        }
        for (AddedToken t : configured) {
            if (present.add(t.content())) {
                all.add(t);
            }
        }
        return new TokenizerDefinition(dir, vocab, merges, all, true, false);
    }

    private static void checkConfig(Path file, JsonNode config) throws TokenizerException {
        String tokenizerClass = config.path("tokenizer_class").asText("Qwen2Tokenizer");
        if (!tokenizerClass.equals("Qwen2Tokenizer") && !tokenizerClass.equals("Qwen2TokenizerFast")) {
            throw TokenizerException.of(file, "unsupported tokenizer_class '" + tokenizerClass
                    + "': without tokenizer.json only Qwen2Tokenizer folders are supported");
        }
        if (config.path("add_prefix_space").asBoolean(false)) {
            throw TokenizerException.of(file, "unsupported add_prefix_space true");
        }
        if (config.path("split_special_tokens").asBoolean(false)) {
            throw TokenizerException.of(file, "unsupported split_special_tokens true");
        }
    }

    /**
     * The special tokens the config names (Qwen2's defaults where it names none), in transformers' order, as
     * Qwen2Tokenizer wraps them: special, not normalized, no stripping, unless the config gives the flags.
     */
    private static List<AddedToken> specialTokens(JsonNode config) {
        Set<String> seen = new LinkedHashSet<>();
        List<AddedToken> tokens = new ArrayList<>();
        for (String attribute : SPECIAL_ATTRIBUTES) {
            JsonNode value = config == null ? null : config.get(attribute);
            if (value == null) {
                String fallback = QWEN2_DEFAULTS.get(attribute);
                if (fallback != null && seen.add(fallback)) {
                    tokens.add(new AddedToken(fallback, -1, true, false, false, false, false));
                }
            } else {
                addSpecial(value, seen, tokens);
            }
        }
        JsonNode additional = config == null ? null : config.get("additional_special_tokens");
        if (additional != null && additional.isArray()) {
            for (JsonNode value : additional) {
                addSpecial(value, seen, tokens);
            }
        }
        return tokens;
    }

    private static void addSpecial(JsonNode value, Set<String> seen, List<AddedToken> tokens) {
        if (value.isTextual() && !value.textValue().isEmpty() && seen.add(value.textValue())) {
            tokens.add(new AddedToken(value.textValue(), -1, true, false, false, false, false));
        } else if (value.isObject() && value.path("content").isTextual() && seen.add(value.path("content").asText())) {
            AddedToken t = TokenizerJson.addedToken(value, -1);
            tokens.add(new AddedToken(t.content(), -1, true, t.normalized(), t.lstrip(), t.rstrip(), t.singleWord()));
        }
    }

    private static int parseIndex(Path file, String key) throws TokenizerException {
        try {
            int index = Integer.parseInt(key);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw TokenizerException.of(file, "added_tokens_decoder key '" + key + "' is not a token id");
    }

    /**
     * {@code merges.txt}: an optional {@code #version} first line, then one {@code left right} pair a line; blank
     * lines are skipped and a pair listed twice keeps its first rank, as the slow tokenizer's rank table does.
     */
    private static List<String[]> readMerges(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw TokenizerException.of(file, "no such file");
        }
        List<String[]> merges = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || (lineNo == 1 && s.startsWith("#version"))) {
                    continue;
                }
                String[] parts = s.split("\\s+");
                if (parts.length != 2) {
                    throw TokenizerException.of(file, "line " + lineNo + " '" + s + "' is not two tokens separated by a space");
                }
                if (seen.add(parts[0] + ' ' + parts[1])) {
                    merges.add(parts);
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TokenizerException(file + ": not UTF-8 text", e);
        }
        return merges;
    }
}
