package io.sparktts.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.prompt.GoldenSparkCases;
import io.sparktts.core.prompt.SparkVocabulary;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpeechGrammarTest {
    static Map<String, Integer> ids;
    static SparkVocabulary vocab;
    static final int[] EOS = {151645};

    @BeforeAll
    static void load() throws Exception {
        ids = GoldenSparkCases.addedTokens();
        vocab = new SparkVocabulary(t -> ids.getOrDefault(t, -1));
    }

    @Test
    void creationWalksAcousticGlobalAndSemanticPhases() throws Exception {
        SpeechGrammar g = SpeechGrammar.creation(vocab, 2, 4096, 64, EOS);
        assertEquals(SpeechGrammar.Phase.ACOUSTIC, g.phase());
        assertEquals(2 + 1001 + 11 + 5 + 5 + 11 + 5 + 31 + 5 + 5 + 3 + 101 + 1, g.allowed().length);
        g.accept(ids.get("<|start_acoustic_token|>"));
        g.accept(ids.get("<|pitch_value_300|>"));
        g.accept(ids.get("<|end_acoustic_token|>"));
        g.accept(vocab.startGlobal());
        assertEquals(4096, g.allowed().length);
        assertEquals(vocab.globalId(0), g.allowed()[0]);
        g.accept(vocab.globalId(7));
        g.accept(vocab.globalId(4095));
        assertArrayEquals(new int[] {vocab.endGlobal()}, g.allowed(), "exactly tokenNum global tokens");
        g.accept(vocab.endGlobal());
        assertEquals(SpeechGrammar.Phase.AFTER_GLOBAL, g.phase());
        assertEquals(64 + 1, g.allowed().length);
        g.accept(vocab.startSemantic());
        assertEquals(64 + 2, g.allowed().length, "64 codes, end-of-semantic, eos");
        g.accept(vocab.semanticId(63));
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> g.accept(vocab.semanticId(64)));
        assertEquals("token id " + vocab.semanticId(64) + " is not allowed in phase SEMANTIC", e.getMessage());
        g.accept(151645);
        assertTrue(g.done());
        assertEquals(0, g.allowed().length);
    }

    @Test
    void cloningStartsAfterTheGlobalsOrInsideTheSemanticTokens() throws Exception {
        SpeechGrammar noTranscript = SpeechGrammar.afterGlobals(vocab, 8192, EOS, false);
        assertEquals(SpeechGrammar.Phase.AFTER_GLOBAL, noTranscript.phase());
        assertThrows(SparkTtsException.class, () -> noTranscript.accept(151645), "at least one semantic token");
        noTranscript.accept(vocab.semanticId(8191));
        noTranscript.accept(vocab.endSemantic());
        assertTrue(noTranscript.done());
        SpeechGrammar transcript = SpeechGrammar.afterGlobals(vocab, 8192, EOS, true);
        assertEquals(SpeechGrammar.Phase.SEMANTIC, transcript.phase());
        assertEquals(8192 + 2, transcript.allowed().length);
    }

    @Test
    void samplingDefaultsAreUpstreams() {
        SamplingParameters p = SamplingParameters.defaults(42);
        assertEquals(new SamplingParameters(0.8, 50, 0.95, 3000, 42, false), p);
        assertTrue(new SamplingParameters(0, 50, 0.95, 10, 1, false).greedy());
        assertEquals("top-p 0.0 is outside (0, 1]",
                assertThrows(IllegalArgumentException.class, () -> new SamplingParameters(1, 50, 0, 10, 1, false)).getMessage());
    }
}
