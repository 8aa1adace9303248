package io.sparktts.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparktts.core.Golden;
import io.sparktts.safetensors.TensorStore;
import org.junit.jupiter.api.Test;

class MelSpectrogramTest {

    /** BiCodec's mel_params: 16 kHz, n_fft 1024, win 640, hop 320, 10 Hz to Nyquist, 128 mels. */
    static MelSpectrogram bicodec() {
        return new MelSpectrogram(16000, 1024, 640, 320, 10, 8000, 128);
    }

    @Test
    void matchesTorchaudioOnTheReferenceClip() throws Exception {
        try (TensorStore io = TensorStore.open(Golden.BICODEC.resolve("io.safetensors"))) {
            float[] wav = io.tensor("ref_wav").toFloats();
            MelSpectrogram mel = bicodec();
            assertEquals(301, mel.frames(wav.length));
            io.tensor("mel").requireShape(1, 128, 301);
            Golden.assertScaled(io, "mel", mel.compute(wav));
        }
    }

    @Test
    void slaneyScaleIsLinearBelowOneKilohertz() {
        assertEquals(15.0, MelSpectrogram.hzToMel(1000), 1e-12);
        assertEquals(1.5, MelSpectrogram.hzToMel(100), 1e-12);
        assertEquals(6400f, MelSpectrogram.melToHz(42f), 0.01f);
    }
}
