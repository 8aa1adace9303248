package io.sparktts.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

    @TempDir
    Path tmp;

    @Test
    void writesPcm16WithTheCanonicalHeader() {
        float[] s = {0f, 0.5f, -0.5f, 1f, -1f, 2f, -3f, 0.3f, -0.7f};
        ByteBuffer b = ByteBuffer.wrap(WavWriter.encode(s, 16000, WavWriter.Format.PCM_16)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 2 * s.length, b.capacity());
        assertEquals(0x46464952, b.getInt(0)); // "RIFF"
        assertEquals(36 + 2 * s.length, b.getInt(4));
        assertEquals(1, b.getShort(20)); // PCM
        assertEquals(1, b.getShort(22)); // mono
        assertEquals(16000, b.getInt(24));
        assertEquals(32000, b.getInt(28));
        assertEquals(16, b.getShort(34));
        assertEquals(2 * s.length, b.getInt(40));
        short[] want = {0, 16384, -16384, 32767, -32767, 32767, -32767, 9830, -22937};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], b.getShort(44 + 2 * i), "sample " + i);
    }

    @Test
    void float32RoundTripsThroughTheReader() throws Exception {
        float[] s = {0f, 0.25f, -0.75f, 0.999f, 1e-7f};
        Path p = tmp.resolve("x.wav");
        WavWriter.write(p, s, 16000, WavWriter.Format.FLOAT_32);
        MonoAudio a = WavReader.read(p);
        assertEquals(16000, a.sampleRate());
        double[] want = new double[s.length];
        for (int i = 0; i < s.length; i++) want[i] = s[i];
        assertArrayEquals(want, a.samples(), 0.0);
    }

    @Test
    void pcm16RoundTripsThroughTheReader() throws Exception {
        float[] s = {0f, 0.25f, -0.75f};
        Path p = tmp.resolve("y.wav");
        WavWriter.write(p, s, 16000, WavWriter.Format.PCM_16);
        MonoAudio a = WavReader.read(p);
        assertArrayEquals(new double[] {0, 8192 / 32768.0, -24575 / 32768.0}, a.samples(), 0.0);
    }
}
