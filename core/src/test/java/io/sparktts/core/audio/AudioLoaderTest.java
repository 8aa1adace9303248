package io.sparktts.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparktts.core.SparkTtsException;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AudioLoaderTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/bicodec-tiny");

    @Test
    void loadsAndNormalizesThePromptLikeUpstream() throws Exception {
        double[] wav = AudioLoader.load(GOLDEN.resolve("prompt_audio.wav"), 16000, true);
        try (TensorStore io = TensorStore.open(GOLDEN.resolve("io.safetensors"))) {
            float[] want = io.tensor("wav_norm").requireShape(1, 159253).toFloats();
            assertEquals(want.length, wav.length);
            double worst = 0;
            for (int i = 0; i < wav.length; i++) {
                worst = Math.max(worst, Math.abs(wav[i] - want[i]));
            }
            assertEquals(0, worst, 1e-6);
            float[] ref = io.tensor("ref_wav").requireShape(1, 96000).toFloats();
            int length = ReferenceClip.length(16000, 6.0, 320);
            assertEquals(96000, length);
            assertArrayEquals(ref, ReferenceClip.cut(wav, length));
        }
    }

    @Test
    void shortAudioIsTiledForTheReferenceClip() {
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 1}, ReferenceClip.cut(new double[] {1, 2, 3}, 7));
        assertEquals(95680, ReferenceClip.length(16000, 5.99, 320));
    }

    @Test
    void quietAudioIsLiftedToATenthThenScaledToTheTarget() {
        // 100 samples of 0.05 magnitude: lifted to 0.1 peak; statistics use the original 0.05 values (> 0.01), so the
        // gain is 0.2 / 0.05 = 4 on the lifted audio: 0.4
        double[] a = new double[100];
        for (int i = 0; i < a.length; i++) a[i] = i % 2 == 0 ? 0.05 : -0.05;
        double[] n = VolumeNormalizer.normalize(a);
        assertEquals(0.4, n[0], 1e-15);
        assertEquals(-0.4, n[1], 1e-15);
    }

    @Test
    void fewSignificantSamplesSkipTheGainAndLoudAudioIsCappedAtOne() {
        double[] few = {0.5, 0.001, -0.2, 0, 0};
        assertArrayEquals(few, VolumeNormalizer.normalize(few));
        double[] loud = new double[200];
        for (int i = 0; i < loud.length; i++) loud[i] = (i % 10) * 0.002 + (i == 7 ? 0.9 : 0.011);
        double[] n = VolumeNormalizer.normalize(loud);
        double max = 0;
        for (double v : n) max = Math.max(max, Math.abs(v));
        assertEquals(1.0, max, 1e-15);
    }

    @Test
    void refusesAbsurdRates() {
        MonoAudio slow = new MonoAudio(new double[100], 10);
        assertEquals("x.wav: sample rate 10 Hz is outside the supported 1000..1000000 Hz",
                assertThrows(SparkTtsException.class, () -> AudioLoader.prepare(slow, 16000, true, "x.wav")).getMessage());
        MonoAudio tiny = new MonoAudio(new double[1], 48000);
        assertEquals("x.wav: audio is too short (no samples at 16000 Hz)",
                assertThrows(SparkTtsException.class, () -> AudioLoader.prepare(tiny, 16000, true, "x.wav")).getMessage());
    }
}
