package io.sparktts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.core.audio.MonoAudio;
import io.sparktts.core.audio.WavReader;
import io.sparktts.safetensors.TensorStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark-tts decode} and {@code parity --component bicodec-decode} on the bicodec-tiny fixture. */
class DecodeCommandTest {

    static final Path FIXTURE = Path.of("../core/src/test/resources/golden/bicodec-tiny");

    @TempDir
    Path tmp;

    private String stderr;

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

    private static String joined(int[] ids, String separator) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(separator));
    }

    @Test
    void decodesFixedIdsToTheUpstreamWaveform() throws Exception {
        int[] semantic, global;
        float[] want;
        try (TensorStore io = TensorStore.open(FIXTURE.resolve("io.safetensors"))) {
            semantic = io.tensor("semantic_tokens_2").toInts();
            global = io.tensor("global_tokens_2").toInts();
            want = io.tensor("wav_recon_2").toFloats();
        }
        Path ids = tmp.resolve("semantic.txt");
        Files.writeString(ids, joined(semantic, " ") + "\n");
        Path wav = tmp.resolve("out.wav");
        assertEquals(0, run("decode", "--bicodec", FIXTURE.toString(), "--global-tokens", joined(global, ","),
                "--semantic-tokens", "@" + ids, "--out", wav.toString(), "--float"), stderr);
        assertEquals("wrote " + wav + ": 24000 samples, 1.50 s", stderr);
        MonoAudio a = WavReader.read(wav);
        assertEquals(16000, a.sampleRate());
        assertEquals(want.length, a.samples().length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], a.samples()[i], 1e-4, "sample " + i);

        // The LM's text form, written as 16-bit PCM: within one quantisation step.
        String text = Arrays.stream(global).mapToObj(g -> "<|bicodec_global_" + g + "|>").collect(Collectors.joining());
        Path pcm = tmp.resolve("pcm.wav");
        assertEquals(0, run("decode", "--bicodec", FIXTURE.toString(), "--global-tokens", text,
                "--semantic-tokens", joined(semantic, ","), "--out", pcm.toString()), stderr);
        MonoAudio b = WavReader.read(pcm);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], b.samples()[i], 1e-4 + 1 / 32767.0, "pcm " + i);
    }

    @Test
    void refusesBadArguments() {
        String dir = FIXTURE.toString(), out = tmp.resolve("x.wav").toString();
        assertEquals(2, run("decode", "--bicodec", dir, "--global-tokens", "1,2,x,4", "--semantic-tokens", "1",
                "--out", out));
        assertEquals("spark-tts decode: --global-tokens: 'x' is not a token id (see spark-tts decode --help)", stderr);
        assertEquals(2, run("decode", "--bicodec", dir, "--global-tokens", "1,2,3,4", "--out", out));
        assertEquals("spark-tts decode: missing required option --semantic-tokens (see spark-tts decode --help)",
                stderr);
        assertEquals(1, run("decode", "--bicodec", dir, "--global-tokens", "1,2,3,4", "--semantic-tokens", "5,99",
                "--out", out));
        assertEquals("spark-tts decode: semantic token 99 at position 1 is outside 0..63", stderr);
        assertEquals(1, run("decode", "--bicodec", tmp.toString(), "--global-tokens", "1,2,3,4",
                "--semantic-tokens", "5", "--out", out));
        assertEquals("spark-tts decode: " + tmp.resolve("config.yaml") + ": no such file", stderr);
    }

    @Test
    void parityComponentWritesTheFixtureOutputs() throws Exception {
        Path out = tmp.resolve("out.safetensors");
        assertEquals(0, run("parity", "--component", "bicodec-decode", "--model", FIXTURE.toString(), "--inputs",
                FIXTURE.resolve("io.safetensors").toString(), "--out", out.toString()), stderr);
        try (TensorStore got = TensorStore.open(out); TensorStore io = TensorStore.open(FIXTURE.resolve("io.safetensors"))) {
            for (String name : new String[] {"z_q", "d_vector", "prenet_out", "wav_recon", "z_q_2", "d_vector_2",
                    "prenet_out_2", "wav_recon_2"}) {
                assertEquals(Arrays.toString(io.tensor(name).shape()), Arrays.toString(got.tensor(name).shape()), name);
                float[] w = io.tensor(name).toFloats(), g = got.tensor(name).toFloats();
                double worst = 0, scale = 1;
                for (int i = 0; i < w.length; i++) {
                    worst = Math.max(worst, Math.abs(w[i] - g[i]));
                    scale = Math.max(scale, Math.abs(w[i]));
                }
                assertTrue(worst <= 1e-4 * scale, name + " deviates by " + worst);
            }
        }
    }
}
