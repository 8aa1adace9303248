package io.sparktts.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder form without tokenizer.json, written from the golden tokenizer.json: vocab.json, merges.txt and
 * either tokenizer_config.json's added_tokens_decoder or the older added_tokens.json. Every golden case must come
 * out exactly as from tokenizer.json.
 */
class VocabMergesFilesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dir;
    static JsonNode tokenizerJson;
    static List<GoldenCasesTest.Case> cases;

    @BeforeAll
    static void writeVocabAndMerges() throws IOException {
        tokenizerJson = MAPPER.readTree(GoldenCasesTest.TOKENIZER_JSON.toFile());
        cases = GoldenCasesTest.cases();
    }

    private static Path folder(String name) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        MAPPER.writeValue(d.resolve("vocab.json").toFile(), tokenizerJson.path("model").path("vocab"));
        try (BufferedWriter w = Files.newBufferedWriter(d.resolve("merges.txt"), StandardCharsets.UTF_8)) {
            w.write("#version: 0.2\n");
            for (JsonNode m : tokenizerJson.path("model").path("merges")) {
                w.write(m.textValue());
                w.write('\n');
            }
        }
        return d;
    }

    private static void checkAllCases(Path folder) throws IOException {
        Tokenizer t = Tokenizer.load(folder);
        assertEquals(165_158, t.size());
        for (GoldenCasesTest.Case c : cases) {
            GoldenCasesTest.check(t, c);
        }
    }

    @Test
    void withAddedTokensDecoderInTheConfig() throws IOException {
        Path d = folder("config");
        Files.copy(GoldenCasesTest.DIR.resolve("tokenizer_config.json"), d.resolve("tokenizer_config.json"));
        checkAllCases(d);
    }

    /**
     * added_tokens.json gives only contents and ids; transformers makes the tokens the config names special and
     * not normalized, all others normalized and not special, which the golden cases cannot tell from the real flags.
     */
    @Test
    void withAddedTokensJson() throws IOException {
        Path d = folder("added-tokens-json");
        ObjectNode ids = MAPPER.createObjectNode();
        for (JsonNode t : tokenizerJson.path("added_tokens")) {
            ids.put(t.path("content").textValue(), t.path("id").intValue());
        }
        MAPPER.writeValue(d.resolve("added_tokens.json").toFile(), ids);
        ObjectNode config = (ObjectNode) MAPPER.readTree(GoldenCasesTest.DIR.resolve("tokenizer_config.json").toFile());
        config.remove("added_tokens_decoder");
        MAPPER.writeValue(d.resolve("tokenizer_config.json").toFile(), config);
        checkAllCases(d);
    }

    @Test
    void refusesOtherTokenizerClasses() throws IOException {
        Path d = Files.createDirectory(dir.resolve("llama"));
        Files.writeString(d.resolve("vocab.json"), "{}");
        Files.writeString(d.resolve("merges.txt"), "");
        Files.writeString(d.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"LlamaTokenizer\"}");
        TokenizerException e = org.junit.jupiter.api.Assertions.assertThrows(TokenizerException.class,
                () -> Tokenizer.load(d));
        assertEquals(d.resolve("tokenizer_config.json") + ": unsupported tokenizer_class 'LlamaTokenizer': without"
                + " tokenizer.json only Qwen2Tokenizer folders are supported", e.getMessage());
    }
}
