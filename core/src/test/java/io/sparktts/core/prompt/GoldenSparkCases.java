package io.sparktts.core.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tokenizer fixture read in place (tokenizer module's test resources), so core carries no copy of it. */
public final class GoldenSparkCases {
    static final Path DIR = Path.of("../tokenizer/src/test/resources/golden/tokenizer");

    public record Case(String text, int[] ids) {}

    private GoldenSparkCases() {}

    public static List<Case> cases() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Case> out = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("cases.jsonl"))) {
            JsonNode n = json.readTree(line);
            int[] ids = new int[n.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = n.get("ids").get(i).asInt();
            out.add(new Case(n.get("text").asText(), ids));
        }
        return out;
    }

    /** Added-token content to id, from tokenizer.json. */
    public static Map<String, Integer> addedTokens() throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode t : new ObjectMapper().readTree(DIR.resolve("tokenizer.json").toFile()).get("added_tokens")) {
            ids.put(t.get("content").asText(), t.get("id").asInt());
        }
        return ids;
    }
}
