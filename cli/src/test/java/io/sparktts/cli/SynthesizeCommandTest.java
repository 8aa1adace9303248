package io.sparktts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.core.audio.MonoAudio;
import io.sparktts.core.audio.WavReader;
import io.sparktts.core.voice.ClonedVoice;
import io.sparktts.core.voice.CreatedVoice;
import io.sparktts.core.voice.VoiceProfileFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark-tts synthesize} on a tiny complete checkpoint folder. */
class SynthesizeCommandTest {
    @TempDir
    static Path tmp;
    static String model;
    private String stderr;

    @BeforeAll
    static void checkpoint() throws Exception {
        model = TinySparkCheckpoint.write(tmp.resolve("ckpt"), Path.of("../tokenizer/src/test/resources/golden/tokenizer"),
                Path.of("../core/src/test/resources/golden/bicodec-tiny"),
                Path.of("../core/src/test/resources/golden/wav2vec2-tiny")).toString();
    }

    private int run(String... argv) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(argv);
        } finally {
            System.setErr(saved);
            stderr = err.toString(StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void createsAVoiceWritesTheWavAndReusesTheSavedVoice() throws Exception {
        Path wav = tmp.resolve("out.wav"), voice = tmp.resolve("v.voice");
        assertEquals(0, run("synthesize", "--model", model, "--text", "Hello world.", "--gender", "male", "--pitch", "low",
                "--max-new-tokens", "20", "--seed", "3", "--out", wav.toString(), "--save-voice", voice.toString()), stderr);
        assertTrue(stderr.startsWith("wrote " + wav + ": 4160 samples, 0.26 s (13 semantic tokens, seed 3) in "), stderr);
        MonoAudio a = WavReader.read(wav);
        assertEquals(16000, a.sampleRate());
        assertEquals(13 * 320, a.samples().length, "20 new tokens: 7 for the voice, 13 semantic tokens of 320 samples");
        CreatedVoice created = (CreatedVoice) VoiceProfileFile.read(voice);
        assertEquals("male", created.attributes().gender().label());

        Path again = tmp.resolve("again.wav");
        Path text = tmp.resolve("text.txt");
        Files.writeString(text, "Hello world.");
        assertEquals(0, run("synthesize", "--model", model, "--text-file", text.toString(), "--gender", "male", "--pitch", "low",
                "--max-new-tokens", "20", "--seed", "3", "--out", again.toString()), stderr);
        // Same seed, same tokens; samples may differ by one 16-bit step because the JIT may reorder float lane sums.
        double[] first = a.samples(), second = WavReader.read(again).samples();
        assertEquals(first.length, second.length, "the same seed gives the same length");
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], second[i], 1.01 / 32768, "the same seed gives the same sample " + i);
        }

        Path reused = tmp.resolve("reused.wav");
        assertEquals(0, run("synthesize", "--model", model, "--text", "More.", "--voice", voice.toString(),
                "--max-new-tokens", "9", "--seed", "1", "--out", reused.toString(), "--float"), stderr);
        assertEquals(8 * 320, WavReader.read(reused).samples().length);
    }

    @Test
    void clonesTheVoiceOfARecording() throws Exception {
        Path wav = tmp.resolve("cloned.wav"), voice = tmp.resolve("cloned.voice");
        assertEquals(0, run("synthesize", "--model", model, "--text", "Hello world.",
                "--prompt", "../core/src/test/resources/golden/bicodec-tiny/prompt_audio.wav", "--prompt-text", "Words.",
                "--max-new-tokens", "6", "--seed", "1", "--out", wav.toString(), "--save-voice", voice.toString()), stderr);
        assertEquals(6 * 320, WavReader.read(wav).samples().length, "after the prompt's semantic tokens all 6 are semantic");
        ClonedVoice cloned = (ClonedVoice) VoiceProfileFile.read(voice);
        assertEquals("Words.", cloned.transcript());
        assertEquals(497, cloned.promptSemanticTokens().length);
    }

    @Test
    void refusesBadArgumentsWithOneLine() {
        String out = tmp.resolve("x.wav").toString();
        assertEquals(2, run("synthesize", "--model", model, "--text", "Hi.", "--gender", "robot", "--out", out));
        assertEquals("spark-tts synthesize: gender 'robot' is not one of [female, male] (see spark-tts synthesize --help)", stderr);
        assertEquals(2, run("synthesize", "--model", model, "--text", "Hi.", "--out", out));
        assertEquals("spark-tts synthesize: choose the voice with exactly one of --prompt, --gender and --voice (see spark-tts synthesize --help)", stderr);
        assertEquals(2, run("synthesize", "--model", model, "--gender", "female", "--out", out));
        assertEquals("spark-tts synthesize: give the text with exactly one of --text and --text-file (see spark-tts synthesize --help)", stderr);
        assertEquals(2, run("synthesize", "--model", model, "--text", "Hi.", "--gender", "female", "--top-p", "0", "--out", out));
        assertEquals("spark-tts synthesize: top-p 0.0 is outside (0, 1] (see spark-tts synthesize --help)", stderr);
        assertEquals(2, run("synthesize", "--model", model, "--text", "Hi.", "--gender", "female", "--weights", "int4", "--out", out));
        assertEquals("spark-tts synthesize: --weights 'int4' is not one of stored, f32, bf16, int8 (see spark-tts synthesize --help)", stderr);
        String missing = tmp.resolve("none").toString();
        assertEquals(1, run("synthesize", "--model", missing, "--text", "Hi.", "--gender", "female", "--out", out));
        assertTrue(stderr.startsWith("spark-tts synthesize: " + missing + ": no such checkpoint folder; download it with"), stderr);
        assertEquals(0, run("synthesize", "--help"));
    }
}
