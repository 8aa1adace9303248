package io.sparktts.core.audio;

import io.sparktts.core.SparkTtsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files: integer PCM of 8 (unsigned), 16, 24 or 32 bits and IEEE float of 32 or 64 bits, plain or
 * {@code WAVE_FORMAT_EXTENSIBLE}, any channel count and sample rate. Returns the first channel, scaled as libsndfile
 * does for {@code soundfile.read} (PCM divided by 2^(bits-1), 8-bit centred on 128, floats as stored).
 */
public final class WavReader {

    /** Longest accepted file, in frames: 2^27 (about 46 minutes at 48 kHz), 1 GiB as doubles. */
    public static final long MAX_FRAMES = 1L << 27;

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE GUIDs for PCM and IEEE float. */
    private static final byte[] SUBTYPE_TAIL = {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71};
    /** Data chunk size that streaming writers leave when they cannot seek back: read to the end of the file. */
    private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

    private WavReader() {}

    public static MonoAudio read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new SparkTtsException(file + ": no such file");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new SparkTtsException(file + ": " + size + " bytes is too large for a voice prompt WAV file (limit 2 GiB)");
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses WAV bytes; {@code source} names the data in error messages. */
    public static MonoAudio parse(byte[] data, String source) throws SparkTtsException {
        if (data.length == 0) {
            throw new SparkTtsException(source + ": empty file, not a WAV file");
        }
        return parse(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), source);
    }

    private static MonoAudio parse(ByteBuffer b, String src) throws SparkTtsException {
        int end = b.limit();
        if (end < 12 || b.getInt(0) != fourcc("RIFF") || b.getInt(8) != fourcc("WAVE")) {
            throw new SparkTtsException(src + ": not a WAV file (no RIFF/WAVE header)");
        }
        Format fmt = null;
        int pos = 12;
        while (pos + 8 <= end) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == fourcc("fmt ")) {
                if (size > end - body) {
                    throw new SparkTtsException(src + ": truncated WAV file (fmt chunk cut off)");
                }
                fmt = parseFormat(b, body, (int) size, src);
            } else if (id == fourcc("data")) {
                if (fmt == null) {
                    throw new SparkTtsException(src + ": malformed WAV file (data chunk before the fmt chunk)");
                }
                long available = end - body;
                if (size == UNKNOWN_SIZE) {
                    size = available;
                } else if (size > available) {
                    throw new SparkTtsException(src + ": truncated WAV file (data chunk declares " + size
                            + " bytes, only " + available + " present)");
                }
                return decode(b, body, size / fmt.blockAlign, fmt, src);
            }
            pos = (int) Math.min(end, body + size + (size & 1));
        }
        throw new SparkTtsException(src + (fmt == null ? ": malformed or truncated WAV file (no fmt chunk)"
                : ": malformed or truncated WAV file (no data chunk)"));
    }

    private record Format(boolean isFloat, int channels, int sampleRate, int blockAlign, int bits) {}

    private static Format parseFormat(ByteBuffer b, int at, int size, String src) throws SparkTtsException {
        if (size < 16) {
            throw new SparkTtsException(src + ": malformed WAV file (fmt chunk of " + size + " bytes, need 16)");
        }
        int tag = b.getShort(at) & 0xFFFF;
        int channels = b.getShort(at + 2) & 0xFFFF;
        long rate = Integer.toUnsignedLong(b.getInt(at + 4));
        int blockAlign = b.getShort(at + 12) & 0xFFFF;
        int bits = b.getShort(at + 14) & 0xFFFF;
        if (tag == FORMAT_EXTENSIBLE) {
            if (size < 40) {
                throw new SparkTtsException(src + ": malformed WAV file (WAVE_FORMAT_EXTENSIBLE fmt chunk of " + size + " bytes, need 40)");
            }
            int subtype = b.getShort(at + 24) & 0xFFFF;
            for (int i = 0; i < SUBTYPE_TAIL.length; i++) {
                if (b.get(at + 26 + i) != SUBTYPE_TAIL[i]) {
                    throw new SparkTtsException(src + ": unsupported WAV encoding (WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID)");
                }
            }
            tag = subtype;
        }
        if (tag != FORMAT_PCM && tag != FORMAT_FLOAT) {
            throw new SparkTtsException(src + ": unsupported WAV encoding " + codecName(tag)
                    + "; supported: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit");
        }
        boolean isFloat = tag == FORMAT_FLOAT;
        boolean supportedBits = isFloat ? bits == 32 || bits == 64 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
        if (!supportedBits) {
            throw new SparkTtsException(src + ": unsupported WAV encoding (" + (isFloat ? "IEEE float" : "integer PCM")
                    + " with " + bits + " bits per sample); supported: integer PCM 8/16/24/32-bit, IEEE float 32/64-bit");
        }
        if (channels == 0) {
            throw new SparkTtsException(src + ": malformed WAV file (0 channels)");
        }
        if (rate == 0 || rate > Integer.MAX_VALUE) {
            throw new SparkTtsException(src + ": malformed WAV file (sample rate " + rate + ")");
        }
        if (blockAlign != channels * bits / 8) {
            throw new SparkTtsException(src + ": malformed WAV file (block align " + blockAlign + " for " + channels
                    + " channels of " + bits + " bits)");
        }
        return new Format(isFloat, channels, (int) rate, blockAlign, bits);
    }

    private static MonoAudio decode(ByteBuffer b, int at, long frames, Format f, String src) throws SparkTtsException {
        if (frames == 0) {
            throw new SparkTtsException(src + ": WAV file holds no audio samples");
        }
        if (frames > MAX_FRAMES) {
            throw new SparkTtsException(src + ": " + frames + " frames is too long for a voice prompt (limit " + MAX_FRAMES + ")");
        }
        double[] out = new double[(int) frames];
        int stride = f.blockAlign;
        int n = out.length;
        if (f.isFloat) {
            if (f.bits == 32) {
                for (int i = 0; i < n; i++) out[i] = b.getFloat(at + i * stride);
            } else {
                for (int i = 0; i < n; i++) out[i] = b.getDouble(at + i * stride);
            }
            return new MonoAudio(out, f.sampleRate);
        }
        switch (f.bits) {
            case 8 -> {
                for (int i = 0; i < n; i++) out[i] = ((b.get(at + i * stride) & 0xFF) - 128) / 128.0;
            }
            case 16 -> {
                for (int i = 0; i < n; i++) out[i] = b.getShort(at + i * stride) / 32768.0;
            }
            case 24 -> {
                for (int i = 0; i < n; i++) {
                    int p = at + i * stride;
                    int v = (b.get(p) & 0xFF) | (b.get(p + 1) & 0xFF) << 8 | b.get(p + 2) << 16;
                    out[i] = v / 8388608.0;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) out[i] = b.getInt(at + i * stride) / 2147483648.0;
            }
        }
        return new MonoAudio(out, f.sampleRate);
    }

    private static String codecName(int tag) {
        String name = switch (tag) {
            case 0x0002 -> "MS ADPCM";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0011 -> "IMA ADPCM";
            case 0x0031 -> "GSM 6.10";
            case 0x0050 -> "MPEG";
            case 0x0055 -> "MPEG layer 3";
            default -> null;
        };
        return String.format("(format tag 0x%04X%s)", tag, name == null ? "" : ", " + name);
    }

    private static int fourcc(String s) {
        return s.charAt(0) | s.charAt(1) << 8 | s.charAt(2) << 16 | s.charAt(3) << 24;
    }
}
