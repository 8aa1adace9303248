package io.sparktts.core.voice;

import io.sparktts.core.SparkTtsException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The voice profile file ({@code .voice}): a 24-byte header, then an LZ4 block of the payload.
 *
 * <pre>
 * header (little-endian): magic "SPKVOICE" | u16 version = 1 | u16 kind (1 cloned, 2 created)
 *                         | i32 payload bytes | i32 compressed bytes | i32 CRC-32 of the payload
 * cloned payload:  u16 n, n x u16 global | i32 m, m x u16 semantic | u8 has transcript | i32 b, b bytes UTF-8
 * created payload: u8 gender, u8 pitch, u8 speed | i32 b, b bytes UTF-8 acoustic tokens | u16 n, n x u16 global
 * </pre>
 *
 * Reading checks every length against the file and the payload, so a damaged file gives one clear
 * {@link SparkTtsException} naming it, never a wrong voice.
 */
public final class VoiceProfileFile {
    private static final byte[] MAGIC = "SPKVOICE".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int KIND_CLONED = 1;
    private static final int KIND_CREATED = 2;
    private static final int HEADER_BYTES = 24;
    /** Far above any real profile (a 60 s prompt has 3000 semantic tokens); bounds memory on a corrupt header. */
    private static final int MAX_PAYLOAD = 1 << 22;

    private VoiceProfileFile() {}

    public static void write(VoiceProfile voice, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, toBytes(voice));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static VoiceProfile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new SparkTtsException(file + ": no such voice profile file");
        }
        long size = Files.size(file);
        if (size > HEADER_BYTES + MAX_PAYLOAD + MAX_PAYLOAD / 255 + 16) {
            throw new SparkTtsException(file + ": not a voice profile (" + size + " bytes is far too large)");
        }
        try {
            return fromBytes(Files.readAllBytes(file));
        } catch (SparkTtsException e) {
            throw new SparkTtsException(file + ": " + e.getMessage());
        }
    }

    public static byte[] toBytes(VoiceProfile voice) {
        byte[] payload = switch (voice) {
            case ClonedVoice c -> clonedPayload(c);
            case CreatedVoice c -> createdPayload(c);
        };
        int kind = voice instanceof ClonedVoice ? KIND_CLONED : KIND_CREATED;
        LZ4Compressor lz4 = LZ4Factory.safeInstance().fastCompressor();
        byte[] packed = new byte[lz4.maxCompressedLength(payload.length)];
        int packedLength = lz4.compress(payload, 0, payload.length, packed, 0, packed.length);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + packedLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) VERSION).putShort((short) kind)
                .putInt(payload.length).putInt(packedLength).putInt((int) crc.getValue())
                .put(packed, 0, packedLength);
        return out.array();
    }

    public static VoiceProfile fromBytes(byte[] file) throws SparkTtsException {
        if (file.length < HEADER_BYTES || !java.util.Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new SparkTtsException("not a voice profile (no SPKVOICE header)");
        }
        ByteBuffer header = ByteBuffer.wrap(file, MAGIC.length, HEADER_BYTES - MAGIC.length).order(ByteOrder.LITTLE_ENDIAN);
        int version = header.getShort() & 0xFFFF;
        int kind = header.getShort() & 0xFFFF;
        int payloadLength = header.getInt();
        int packedLength = header.getInt();
        int expectedCrc = header.getInt();
        if (version != VERSION) {
            throw new SparkTtsException("voice profile version " + version + " is not supported (this library reads version " + VERSION + ")");
        }
        if (kind != KIND_CLONED && kind != KIND_CREATED) {
            throw new SparkTtsException("corrupt voice profile: unknown kind " + kind);
        }
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD || packedLength != file.length - HEADER_BYTES) {
            throw new SparkTtsException("corrupt or truncated voice profile: header says " + packedLength
                    + " compressed bytes, file has " + (file.length - HEADER_BYTES));
        }
        byte[] payload = new byte[payloadLength];
        LZ4SafeDecompressor lz4 = LZ4Factory.safeInstance().safeDecompressor();
        try {
            int n = lz4.decompress(file, HEADER_BYTES, packedLength, payload, 0, payloadLength);
            if (n != payloadLength) {
                throw new SparkTtsException("corrupt voice profile: payload is " + n + " bytes, header says " + payloadLength);
            }
        } catch (LZ4Exception e) {
            throw new SparkTtsException("corrupt voice profile: the compressed data does not decompress");
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != expectedCrc) {
            throw new SparkTtsException("corrupt voice profile: checksum mismatch");
        }
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        try {
            VoiceProfile voice = kind == KIND_CLONED ? readCloned(in) : readCreated(in);
            if (in.hasRemaining()) {
                throw new SparkTtsException("corrupt voice profile: " + in.remaining() + " bytes after the voice");
            }
            return voice;
        } catch (BufferUnderflowException e) {
            throw new SparkTtsException("corrupt voice profile: the payload ends early");
        } catch (IllegalArgumentException e) {
            throw new SparkTtsException("corrupt voice profile: " + e.getMessage());
        }
    }

    private static byte[] clonedPayload(ClonedVoice v) {
        byte[] transcript = v.transcript() == null ? new byte[0] : v.transcript().getBytes(StandardCharsets.UTF_8);
        int[] global = v.globalTokens();
        int[] semantic = v.promptSemanticTokens();
        ByteBuffer b = ByteBuffer.allocate(2 + 2 * global.length + 4 + 2 * semantic.length + 1 + 4 + transcript.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        putCodes16(b, global);
        b.putInt(semantic.length);
        for (int s : semantic) b.putShort((short) s);
        b.put((byte) (v.transcript() == null ? 0 : 1));
        b.putInt(transcript.length).put(transcript);
        return b.array();
    }

    private static byte[] createdPayload(CreatedVoice v) {
        byte[] acoustic = v.acousticTokens().getBytes(StandardCharsets.UTF_8);
        int[] global = v.globalTokens();
        ByteBuffer b = ByteBuffer.allocate(3 + 4 + acoustic.length + 2 + 2 * global.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) v.attributes().gender().id()).put((byte) v.attributes().pitch().id()).put((byte) v.attributes().speed().id());
        b.putInt(acoustic.length).put(acoustic);
        putCodes16(b, global);
        return b.array();
    }

    private static void putCodes16(ByteBuffer b, int[] codes) {
        if (codes.length > 0xFFFF) {
            throw new IllegalArgumentException(codes.length + " global tokens do not fit a voice profile");
        }
        b.putShort((short) codes.length);
        for (int c : codes) b.putShort((short) c);
    }

    private static ClonedVoice readCloned(ByteBuffer in) throws SparkTtsException {
        int[] global = codes16(in, in.getShort() & 0xFFFF);
        int m = in.getInt();
        if (m < 0 || m > in.remaining() / 2) {
            throw new SparkTtsException("corrupt voice profile: " + m + " semantic tokens do not fit the payload");
        }
        int[] semantic = codes16(in, m);
        int hasTranscript = in.get();
        if (hasTranscript != 0 && hasTranscript != 1) {
            throw new SparkTtsException("corrupt voice profile: transcript flag " + hasTranscript);
        }
        String transcript = utf8(in, "transcript");
        if (hasTranscript == 0 && !transcript.isEmpty()) {
            throw new SparkTtsException("corrupt voice profile: transcript text without its flag");
        }
        return new ClonedVoice(global, semantic, hasTranscript == 1 ? transcript : null);
    }

    private static CreatedVoice readCreated(ByteBuffer in) throws SparkTtsException {
        Gender[] genders = Gender.values();
        Level[] levels = Level.values();
        int g = in.get() & 0xFF, p = in.get() & 0xFF, s = in.get() & 0xFF;
        if (g >= genders.length || p >= levels.length || s >= levels.length) {
            throw new SparkTtsException("corrupt voice profile: style label ids " + g + "/" + p + "/" + s);
        }
        String acoustic = utf8(in, "acoustic tokens");
        int[] global = codes16(in, in.getShort() & 0xFFFF);
        return new CreatedVoice(new VoiceAttributes(genders[g], levels[p], levels[s]), acoustic, global);
    }

    private static int[] codes16(ByteBuffer in, int n) {
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = in.getShort() & 0xFFFF;
        return codes;
    }

    private static String utf8(ByteBuffer in, String what) throws SparkTtsException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new SparkTtsException("corrupt voice profile: " + what + " length " + n + " does not fit the payload");
        }
        ByteBuffer bytes = in.slice(in.position(), n);
        in.position(in.position() + n);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SparkTtsException("corrupt voice profile: " + what + " is not UTF-8");
        }
    }
}
