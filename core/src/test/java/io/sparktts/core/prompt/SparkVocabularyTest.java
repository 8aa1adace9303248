package io.sparktts.core.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.core.SparkTtsException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkVocabularyTest {
    static Map<String, Integer> added;
    static SparkVocabulary vocab;

    @BeforeAll
    static void load() throws Exception {
        added = GoldenSparkCases.addedTokens();
        vocab = new SparkVocabulary(t -> added.getOrDefault(t, -1));
    }

    @Test
    void idsAreTheReleasedTokenizers() {
        assertEquals(151665, vocab.globalId(0));
        assertEquals(155760, vocab.globalId(4095));
        assertEquals(155761, vocab.semanticId(0));
        assertEquals(163952, vocab.semanticId(8191));
        assertEquals(165150, vocab.startGlobal());
        assertEquals(165156, vocab.endGlobal());
        assertEquals(165151, vocab.startSemantic());
        assertEquals(165157, vocab.endSemantic());
        assertEquals(-1, vocab.globalCode(155761));
        assertEquals(-1, vocab.semanticCode(151645));
        assertTrue(vocab.isAcoustic(added.get("<|pitch_value_1000|>")));
        assertTrue(vocab.isAcoustic(added.get("<|start_acoustic_token|>")));
        assertTrue(!vocab.isAcoustic(vocab.startGlobal()));
    }

    /** Parsing by id finds the same numbers upstream's regex finds in the decoded text, for every golden case. */
    @Test
    void codesMatchUpstreamsRegexOnEveryGoldenCase() throws Exception {
        Pattern global = Pattern.compile("bicodec_global_(\\d+)");
        Pattern semantic = Pattern.compile("bicodec_semantic_(\\d+)");
        int withCodes = 0;
        for (GoldenSparkCases.Case c : GoldenSparkCases.cases()) {
            if (c.text().contains("bicodec") && !c.text().contains("|>|") && c.text().matches("(?s).*<\\|bicodec_\\w+_\\d+\\|>.*")) {
                int[] g = global.matcher(c.text()).results().mapToInt(m -> Integer.parseInt(m.group(1))).filter(x -> x < 4096).toArray();
                int[] s = semantic.matcher(c.text()).results().mapToInt(m -> Integer.parseInt(m.group(1))).filter(x -> x < 8192).toArray();
                if (c.text().matches("(?s).*(_0\\d|\\s\\d|bicodec_\\w+_\\d+[^|\\d]).*")) {
                    continue; // malformed look-alikes are plain text, not tokens
                }
                assertArrayEquals(g, vocab.globalCodes(c.ids()), c.text());
                assertArrayEquals(s, vocab.semanticCodes(c.ids()), c.text());
                withCodes++;
            }
        }
        assertTrue(withCodes >= 20, "cases with codes: " + withCodes);
    }

    @Test
    void aMissingOrScatteredFamilyIsNamed() {
        Map<String, Integer> broken = new HashMap<>(added);
        broken.remove("<|end_semantic_token|>");
        assertEquals("tokenizer: the Spark-TTS token <|end_semantic_token|> is missing",
                assertThrows(SparkTtsException.class, () -> new SparkVocabulary(t -> broken.getOrDefault(t, -1))).getMessage());
        Map<String, Integer> scattered = new HashMap<>(added);
        scattered.put("<|bicodec_semantic_7|>", 3);
        assertEquals("tokenizer: <|bicodec_semantic_7|> has id 3, expected 155768 (the bicodec_semantic_N tokens must be one contiguous range)",
                assertThrows(SparkTtsException.class, () -> new SparkVocabulary(t -> scattered.getOrDefault(t, -1))).getMessage());
    }
}
