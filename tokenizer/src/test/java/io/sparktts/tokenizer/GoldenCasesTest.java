package io.sparktts.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case of the golden cases.jsonl: ids and both decodings, exactly. */
class GoldenCasesTest {
    static final Path DIR = Path.of("src/test/resources/golden/tokenizer");
    static final Path TOKENIZER_JSON = DIR.resolve("tokenizer.json");

    record Case(int line, String text, int[] ids, String decoded, String decodedSkipSpecial) {}

    private static Tokenizer golden;

    /** The golden tokenizer, loaded once for all test classes of the run. */
    static synchronized Tokenizer golden() throws IOException {
        if (golden == null) {
            golden = Tokenizer.load(TOKENIZER_JSON);
        }
        return golden;
    }

    static List<Case> cases() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(DIR.resolve("cases.jsonl"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode c = mapper.readTree(lines.get(i));
            int[] ids = new int[c.get("ids").size()];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = c.get("ids").get(k).intValue();
            }
            cases.add(new Case(i + 1, c.get("text").asText(), ids, c.get("decoded").asText(),
                    c.get("decoded_skip_special").asText()));
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatches() throws IOException {
        List<Case> cases = cases();
        assertEquals(393, cases.size());
        Tokenizer tokenizer = golden();
        return cases.stream().map(c -> DynamicTest.dynamicTest("line " + c.line(), () -> check(tokenizer, c)));
    }

    static void check(Tokenizer t, Case c) {
        String label = "line " + c.line() + " " + escape(c.text());
        assertArrayEquals(c.ids(), t.encode(c.text()), label + ": ids");
        assertEquals(c.decoded(), t.decode(c.ids(), false), label + ": decoded");
        assertEquals(c.decodedSkipSpecial(), t.decode(c.ids(), true), label + ": decoded_skip_special");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.length() > 60 ? s.substring(0, 60).toCharArray() : s.toCharArray()) {
            b.append(ch < 0x20 || ch > 0x7E ? String.format("\\u%04X", (int) ch) : String.valueOf(ch));
        }
        return b.toString();
    }
}
