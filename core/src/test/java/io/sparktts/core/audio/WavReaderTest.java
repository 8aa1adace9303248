package io.sparktts.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.core.SparkTtsException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {

    static final int PCM = 1, FLOAT = 3;

    /** A WAV file: fmt chunk (plain or extensible), optional extra chunk, data chunk. */
    static byte[] wav(int format, boolean extensible, int channels, int rate, int bits, byte[] data, byte[] extraChunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer fmt = ByteBuffer.allocate(8 + fmtSize).order(ByteOrder.LITTLE_ENDIAN);
        fmt.put("fmt ".getBytes()).putInt(fmtSize).putShort((short) (extensible ? 0xFFFE : format))
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extensible) {
            fmt.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) format)
                    .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        out.writeBytes("RIFF".getBytes());
        int riffSize = 4 + fmt.capacity() + (extraChunk == null ? 0 : extraChunk.length) + 8 + data.length + (data.length & 1);
        out.write(head.putInt(riffSize).array(), 0, 4);
        out.writeBytes("WAVE".getBytes());
        out.writeBytes(fmt.array());
        if (extraChunk != null) {
            out.writeBytes(extraChunk);
        }
        out.writeBytes("data".getBytes());
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        out.writeBytes(data);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
        return out.toByteArray();
    }

    static byte[] le(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            for (int i = 0; i < bytesPerValue; i++) {
                b.put((byte) (v >> (8 * i)));
            }
        }
        return b.array();
    }

    static byte[] pcm16Mono(short... samples) {
        long[] v = new long[samples.length];
        for (int i = 0; i < v.length; i++) v[i] = samples[i];
        return wav(PCM, false, 1, 16000, 16, le(2, v), null);
    }

    @Test
    void pcm16StereoKeepsTheFirstChannel() throws Exception {
        byte[] data = le(2, 16384, -1, -32768, 5, 32767, 7);
        MonoAudio a = WavReader.parse(wav(PCM, false, 2, 44100, 16, data, null), "t.wav");
        assertEquals(44100, a.sampleRate());
        assertArrayEquals(new double[] {0.5, -1.0, 32767 / 32768.0}, a.samples());
    }

    @Test
    void pcm8IsUnsignedAroundOneTwentyEight() throws Exception {
        MonoAudio a = WavReader.parse(wav(PCM, false, 1, 8000, 8, le(1, 0, 128, 255, 192), null), "t.wav");
        assertArrayEquals(new double[] {-1.0, 0.0, 127 / 128.0, 0.5}, a.samples());
    }

    @Test
    void pcm24AndPcm32ScaleByTheirFullRange() throws Exception {
        MonoAudio a24 = WavReader.parse(wav(PCM, false, 3, 48000, 24, le(3, -8388608, 1, 2, 4194304, 3, 4), null), "t.wav");
        assertArrayEquals(new double[] {-1.0, 0.5}, a24.samples());
        MonoAudio a32 = WavReader.parse(wav(PCM, false, 1, 22050, 32, le(4, Integer.MIN_VALUE, 1 << 29, -1), null), "t.wav");
        assertArrayEquals(new double[] {-1.0, 0.25, -1 / 2147483648.0}, a32.samples());
    }

    @Test
    void floatSamplesAreTakenAsStored() throws Exception {
        ByteBuffer f = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f).putFloat(0.1f);
        assertArrayEquals(new double[] {0.25, -1.5, 0.1f}, WavReader.parse(wav(FLOAT, false, 1, 16000, 32, f.array(), null), "t").samples());
        ByteBuffer d = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(9).putDouble(-0.3).putDouble(9);
        assertArrayEquals(new double[] {0.1, -0.3}, WavReader.parse(wav(FLOAT, false, 2, 16000, 64, d.array(), null), "t").samples());
    }

    @Test
    void extensibleFormatReadsItsSubFormat() throws Exception {
        MonoAudio pcm = WavReader.parse(wav(PCM, true, 6, 96000, 24, le(3, 4194304, 0, 0, 0, 0, 0), null), "t");
        assertArrayEquals(new double[] {0.5}, pcm.samples());
        assertEquals(96000, pcm.sampleRate());
        byte[] f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(-0.75f).putFloat(0.5f).array();
        assertArrayEquals(new double[] {-0.75, 0.5}, WavReader.parse(wav(FLOAT, true, 1, 16000, 32, f, null), "t").samples());
    }

    @Test
    void otherChunksAndOddPaddingAreSkipped() throws Exception {
        byte[] list = new byte[8 + 5 + 1];
        ByteBuffer.wrap(list).order(ByteOrder.LITTLE_ENDIAN).put("LIST".getBytes()).putInt(5);
        assertArrayEquals(new double[] {0.5, -0.5}, WavReader.parse(wav(PCM, false, 1, 16000, 16, le(2, 16384, -16384), list), "t").samples());
    }

    @Test
    void streamingPlaceholderSizeReadsToTheEnd() throws Exception {
        byte[] w = pcm16Mono((short) 16384, (short) 8192);
        ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putInt(40, -1);
        assertArrayEquals(new double[] {0.5, 0.25}, WavReader.parse(w, "t").samples());
    }

    @Test
    void readsFilesAndNamesThemInErrors(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.wav");
        Files.write(ok, pcm16Mono((short) -16384));
        assertArrayEquals(new double[] {-0.5}, WavReader.read(ok).samples());
        Path empty = dir.resolve("empty.wav");
        Files.write(empty, new byte[0]);
        assertEquals(empty + ": empty file, not a WAV file", message(() -> WavReader.read(empty)));
        Path missing = dir.resolve("missing.wav");
        assertEquals(missing + ": no such file", message(() -> WavReader.read(missing)));
    }

    @Test
    void refusesNonWavFiles() {
        assertEquals("x.mp3: not a WAV file (no RIFF/WAVE header)",
                message(() -> WavReader.parse("ID3\u0004 this is an mp3 file".getBytes(), "x.mp3")));
        byte[] avi = pcm16Mono((short) 1);
        System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);
        assertEquals("x: not a WAV file (no RIFF/WAVE header)", message(() -> WavReader.parse(avi, "x")));
        assertEquals("x: not a WAV file (no RIFF/WAVE header)", message(() -> WavReader.parse(new byte[] {'R', 'I', 'F'}, "x")));
    }

    @Test
    void refusesTruncatedFiles() {
        byte[] full = pcm16Mono((short) 1, (short) 2, (short) 3, (short) 4);
        assertEquals("t: truncated WAV file (data chunk declares 8 bytes, only 5 present)",
                message(() -> WavReader.parse(Arrays.copyOf(full, full.length - 3), "t")));
        assertEquals("t: truncated WAV file (fmt chunk cut off)", message(() -> WavReader.parse(Arrays.copyOf(full, 30), "t")));
        assertEquals("t: malformed or truncated WAV file (no data chunk)", message(() -> WavReader.parse(Arrays.copyOf(full, 36), "t")));
        assertEquals("t: malformed or truncated WAV file (no fmt chunk)", message(() -> WavReader.parse(Arrays.copyOf(full, 12), "t")));
    }

    @Test
    void refusesEmptyAudio() {
        assertEquals("t: WAV file holds no audio samples", message(() -> WavReader.parse(pcm16Mono(), "t")));
    }

    @Test
    void refusesUnsupportedCodecs() {
        assertEquals("t: unsupported WAV encoding (format tag 0x0002, MS ADPCM); supported: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit",
                message(() -> WavReader.parse(wav(2, false, 1, 8000, 4, new byte[8], null), "t")));
        assertEquals("t: unsupported WAV encoding (format tag 0x0007, mu-law); supported: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit",
                message(() -> WavReader.parse(wav(7, true, 1, 8000, 8, new byte[8], null), "t")));
        assertEquals("t: unsupported WAV encoding (integer PCM with 12 bits per sample); supported: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit",
                message(() -> WavReader.parse(wav(PCM, false, 2, 8000, 12, new byte[6], null), "t")));
        assertEquals("t: unsupported WAV encoding (IEEE float with 16 bits per sample); supported: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit",
                message(() -> WavReader.parse(wav(FLOAT, false, 1, 8000, 16, new byte[6], null), "t")));
    }

    @Test
    void refusesInconsistentHeaders() {
        assertEquals("t: malformed WAV file (0 channels)", message(() -> WavReader.parse(wav(PCM, false, 0, 8000, 16, new byte[4], null), "t")));
        assertEquals("t: malformed WAV file (sample rate 0)", message(() -> WavReader.parse(wav(PCM, false, 1, 0, 16, new byte[4], null), "t")));
        byte[] w = pcm16Mono((short) 1);
        w[32] = 3;
        assertEquals("t: malformed WAV file (block align 3 for 1 channels of 16 bits)", message(() -> WavReader.parse(w, "t")));
    }

    /** Random corruptions of valid files: each either parses or fails with a SparkTtsException, never anything else. */
    @Test
    void fuzzedFilesFailCleanly() {
        Random r = new Random(20250306);
        byte[][] seeds = {
                pcm16Mono((short) 1, (short) -2, (short) 3),
                wav(PCM, true, 2, 44100, 24, new byte[30], null),
                wav(FLOAT, false, 1, 48000, 64, new byte[40], new byte[] {'L', 'I', 'S', 'T', 3, 0, 0, 0, 1, 2, 3, 0}),
        };
        int parsed = 0, refused = 0;
        for (int c = 0; c < 3000; c++) {
            byte[] w = seeds[c % seeds.length].clone();
            switch (r.nextInt(4)) {
                case 0 -> w = Arrays.copyOf(w, r.nextInt(w.length + 1));
                case 1 -> w[r.nextInt(w.length)] = (byte) r.nextInt(256);
                case 2 -> {
                    int at = 4 * r.nextInt(w.length / 4);
                    ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putInt(at, r.nextBoolean() ? -1 - r.nextInt(3) : r.nextInt());
                }
                default -> {
                    for (int k = 0; k < 6; k++) w[r.nextInt(w.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            try {
                MonoAudio a = WavReader.parse(w, "fuzz");
                assertTrue(a.samples().length > 0 && a.samples().length <= w.length);
                parsed++;
            } catch (SparkTtsException e) {
                assertTrue(e.getMessage().startsWith("fuzz: "), e.getMessage());
                refused++;
            }
        }
        assertTrue(parsed > 300 && refused > 300, parsed + " parsed, " + refused + " refused");
    }

    static String message(ThrowingRunnable r) {
        return assertThrows(SparkTtsException.class, r::run).getMessage();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
