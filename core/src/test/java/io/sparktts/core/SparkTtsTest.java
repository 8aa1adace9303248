package io.sparktts.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparktts.core.SparkTts.Speech;
import io.sparktts.core.pipeline.SamplingParameters;
import io.sparktts.core.prompt.SparkVocabulary;
import io.sparktts.core.qwen2.WeightPrecision;
import io.sparktts.core.voice.ClonedVoice;
import io.sparktts.core.voice.CreatedVoice;
import io.sparktts.core.voice.VoiceAttributes;
import io.sparktts.core.voice.VoiceProfile;
import io.sparktts.core.voice.VoiceProfileFile;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Voice creation and synthesis with a saved voice, end to end, on {@link TinySparkCheckpoint}. */
class SparkTtsTest {
    static final Path TOKENIZER = Path.of("../tokenizer/src/test/resources/golden/tokenizer");
    static final Path BICODEC = Path.of("src/test/resources/golden/bicodec-tiny");
    static final VoiceAttributes FEMALE = VoiceAttributes.parse("female", "moderate", "high");

    @TempDir
    static Path tmp;
    static SparkTts tts;
    static SparkVocabulary vocab;

    @BeforeAll
    static void load() throws Exception {
        tts = SparkTts.load(TinySparkCheckpoint.write(tmp.resolve("ckpt"), TOKENIZER, BICODEC,
                Path.of("src/test/resources/golden/wav2vec2-tiny")), WeightPrecision.STORED);
        vocab = SparkVocabulary.of(tts.tokenizer());
    }

    @AfterAll
    static void close() {
        tts.close();
    }

    static SamplingParameters sampling(int maxNewTokens, long seed) {
        return new SamplingParameters(0.8, 50, 0.95, maxNewTokens, seed, false);
    }

    @Test
    void createsAVoiceAndDecodesTheGeneratedTokens() throws Exception {
        Speech s = tts.createVoice(FEMALE, "Hello world.", sampling(30, 1));
        int[] ids = s.generatedIds();
        assertEquals(30, ids.length);
        assertEquals(vocab.startGlobal(), ids[0]);
        assertEquals(vocab.endGlobal(), ids[5]);
        assertEquals(vocab.startSemantic(), ids[6]);
        assertArrayEquals(vocab.globalCodes(Arrays.copyOfRange(ids, 1, 5)), s.globalTokens());
        assertArrayEquals(vocab.semanticCodes(Arrays.copyOfRange(ids, 7, 30)), s.semanticTokens());
        assertEquals(23, s.semanticTokens().length);
        assertEquals(23 * 320, s.audio().length, "BiCodec makes 320 samples per semantic token");
        assertEquals(16000, s.sampleRate());
        assertArrayEquals(tts.codec().decode(s.semanticTokens(), s.globalTokens()), s.audio(), 1e-6f);
        CreatedVoice voice = (CreatedVoice) s.voice();
        assertEquals(FEMALE, voice.attributes());
        assertEquals("", voice.acousticTokens());
        assertArrayEquals(s.globalTokens(), voice.globalTokens());
    }

    @Test
    void aSeedReproducesTheIdsAndSamples() throws Exception {
        Speech a = tts.createVoice(FEMALE, "Hello world.", sampling(20, 42));
        Speech b = tts.createVoice(FEMALE, "Hello world.", sampling(20, 42));
        Speech c = tts.createVoice(FEMALE, "Hello world.", sampling(20, 43));
        assertArrayEquals(a.generatedIds(), b.generatedIds());
        // BiCodec's threaded decode may differ in the last bit from call to call.
        assertArrayEquals(a.audio(), b.audio(), 1e-6f);
        assertFalse(Arrays.equals(a.generatedIds(), c.generatedIds()), "another seed draws other tokens");
    }

    @Test
    void aSavedVoiceKeepsItsGlobalTokens() throws Exception {
        Speech created = tts.createVoice(FEMALE, "Hello world.", sampling(12, 5));
        Path file = tmp.resolve("voice.spk");
        VoiceProfileFile.write(created.voice(), file);
        VoiceProfile voice = VoiceProfileFile.read(file);
        Speech s = tts.synthesize(voice, "Another sentence.", sampling(15, 6));
        assertArrayEquals(created.globalTokens(), s.globalTokens());
        assertEquals(vocab.startSemantic(), s.generatedIds()[0], "the prompt already ends with the global tokens");
        assertEquals(14, s.semanticTokens().length);
        assertArrayEquals(tts.codec().decode(s.semanticTokens(), created.globalTokens()), s.audio(), 1e-6f);
    }

    @Test
    void longTextIsSpokenInChunksWithTheFirstChunksVoice() throws Exception {
        String sentence = "This sentence is long enough that two of them do not fit into one chunk of text. ".repeat(2);
        String text = sentence + sentence.strip();
        Speech s = tts.createVoice(FEMALE, text, sampling(10, 9));
        // chunk 1: 3 semantic tokens after the created voice's 7 tokens; chunk 2: 9 after <|start_semantic_token|>
        assertEquals(3 + 9, s.semanticTokens().length);
        assertEquals(20, s.generatedIds().length);
        assertEquals(3 * 320 + 3200 + 9 * 320, s.audio().length, "a 0.2 s pause between the chunks");
        float[] second = tts.codec().decode(Arrays.copyOfRange(s.semanticTokens(), 3, 12), s.globalTokens());
        assertArrayEquals(second, Arrays.copyOfRange(s.audio(), 3 * 320 + 3200, s.audio().length), 1e-6f);
        for (int i = 3 * 320; i < 3 * 320 + 3200; i++) assertEquals(0f, s.audio()[i]);
    }

    @Test
    void clonesAVoiceFromARecording() throws Exception {
        Path prompt = BICODEC.resolve("prompt_audio.wav");
        int[] goldenGlobal;
        try (TensorStore io = TensorStore.open(BICODEC.resolve("io.safetensors"))) {
            goldenGlobal = io.tensor("global_tokens").toInts();
        }
        ClonedVoice withoutText = tts.cloneVoice(prompt, null);
        assertArrayEquals(goldenGlobal, withoutText.globalTokens());
        assertEquals(0, withoutText.promptSemanticTokens().length);
        Speech s = tts.synthesize(withoutText, "Hello world.", sampling(10, 2));
        assertEquals(vocab.startSemantic(), s.generatedIds()[0], "the prompt ends after <|end_global_token|>");
        assertEquals(9 * 320, s.audio().length);

        ClonedVoice withText = tts.cloneVoice(prompt, "The prompt's words.");
        assertArrayEquals(goldenGlobal, withText.globalTokens());
        assertEquals(497, withText.promptSemanticTokens().length, "one per wav2vec2 frame of the 159,253 samples");
        Speech t = tts.synthesize(withText, "Hello world.", sampling(10, 2));
        assertEquals(10, t.semanticTokens().length, "the prompt ends inside the semantic tokens: all 10 are semantic");
        assertArrayEquals(tts.codec().decode(t.semanticTokens(), goldenGlobal), t.audio(), 1e-6f);
    }

    @Test
    void reportsEveryGeneratedToken() throws Exception {
        String sentence = "This sentence is long enough that two of them do not fit into one chunk of text. ".repeat(2);
        List<String> calls = new ArrayList<>();
        tts.createVoice(FEMALE, sentence + sentence.strip(), sampling(10, 9),
                (chunk, chunks, tokens, speechSeconds) -> calls.add(chunk + "/" + chunks + " " + tokens + " "
                        + Math.round(speechSeconds * 1000)));
        assertEquals(20, calls.size());
        assertEquals("0/2 1 0", calls.get(0));
        assertEquals("0/2 10 60", calls.get(9), "3 semantic tokens of 20 ms");
        assertEquals("1/2 1 60", calls.get(10), "the second chunk starts with <|start_semantic_token|>");
        assertEquals("1/2 10 240", calls.get(19));
    }

    @Test
    void refusesWhatCannotBeSpoken() {
        SparkTtsException empty = assertThrows(SparkTtsException.class, () -> tts.createVoice(FEMALE, "  \n", sampling(10, 1)));
        assertEquals("the text to speak is empty", empty.getMessage());
        // Over the whole vocabulary this LM repeats <|start_global_token|> and never makes a global token.
        SparkTtsException full = assertThrows(SparkTtsException.class, () -> tts.createVoice(FEMALE, "Hi.",
                new SamplingParameters(0.8, 50, 0.95, 8, 1, true)));
        assertEquals("the LM generated 0 global tokens; BiCodec needs 4 (raise --max-new-tokens, or leave out --full-vocab)",
                full.getMessage());
        SparkTtsException missing = assertThrows(SparkTtsException.class,
                () -> SparkTts.load(tmp.resolve("nowhere"), WeightPrecision.STORED));
        assertEquals(tmp.resolve("nowhere") + ": no such checkpoint folder; " + CheckpointLayout.HOW_TO_GET, missing.getMessage());
    }
}
