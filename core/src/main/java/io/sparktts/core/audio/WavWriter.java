package io.sparktts.core.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes mono WAV files: 16-bit PCM ({@code round(clamp(x, -1, 1) * 32767)}, half to even) or 32-bit IEEE float
 * (the samples as they are). Canonical 44-byte RIFF header.
 */
public final class WavWriter {

    /** Sample encodings. */
    public enum Format {
        PCM_16(1, 16),
        FLOAT_32(3, 32);

        final int code;
        final int bits;

        Format(int code, int bits) {
            this.code = code;
            this.bits = bits;
        }
    }

    private WavWriter() {}

    public static void write(Path file, float[] samples, int sampleRate, Format format) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(encode(samples, sampleRate, format));
        }
    }

    /** The whole file's bytes. */
    public static byte[] encode(float[] samples, int sampleRate, Format format) {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        int bytesPerSample = format.bits / 8;
        long dataBytes = (long) samples.length * bytesPerSample;
        if (dataBytes > Integer.MAX_VALUE - 44) {
            throw new IllegalArgumentException(samples.length + " samples are too many for one WAV file");
        }
        ByteBuffer b = ByteBuffer.allocate(44 + (int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + (int) dataBytes);
        b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) format.code).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * bytesPerSample).putShort((short) bytesPerSample).putShort((short) format.bits);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        for (float s : samples) {
            if (format == Format.FLOAT_32) {
                b.putFloat(s);
            } else {
                float clamped = Float.isNaN(s) ? 0f : Math.max(-1f, Math.min(1f, s));
                b.putShort((short) Math.rint(clamped * 32767.0));
            }
        }
        return b.array();
    }
}
