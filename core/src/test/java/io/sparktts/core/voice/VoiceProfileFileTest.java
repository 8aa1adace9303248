package io.sparktts.core.voice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.core.SparkTtsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoiceProfileFileTest {
    @TempDir
    Path dir;

    private static int[] codes(SplittableRandom r, int n, int limit) {
        return r.ints(n, 0, limit).toArray();
    }

    private static ClonedVoice cloned(String transcript) {
        SplittableRandom r = new SplittableRandom(7);
        return new ClonedVoice(codes(r, 32, 4096), codes(r, 300, 8192), transcript);
    }

    @Test
    void clonedVoiceRoundTripsThroughAFile() throws Exception {
        ClonedVoice voice = cloned("这是参考录音。 The reference.");
        Path file = dir.resolve("a.voice");
        VoiceProfileFile.write(voice, file);
        VoiceProfile back = VoiceProfileFile.read(file);
        assertEquals(voice, back);
        ClonedVoice c = (ClonedVoice) back;
        assertArrayEquals(voice.globalTokens(), c.globalTokens());
        assertArrayEquals(voice.promptSemanticTokens(), c.promptSemanticTokens());
        assertEquals("这是参考录音。 The reference.", c.transcript());
        assertTrue(Files.size(file) < 24 + 2 * 332 + 64, "small file: " + Files.size(file));
    }

    @Test
    void missingAndEmptyTranscriptsStayDistinct() throws Exception {
        assertNull(((ClonedVoice) VoiceProfileFile.fromBytes(VoiceProfileFile.toBytes(cloned(null)))).transcript());
        assertEquals("", ((ClonedVoice) VoiceProfileFile.fromBytes(VoiceProfileFile.toBytes(cloned("")))).transcript());
    }

    @Test
    void createdVoiceRoundTrips() throws Exception {
        CreatedVoice voice = new CreatedVoice(VoiceAttributes.parse("male", "very_high", "low"),
                "<|start_acoustic_token|><|pitch_value_310|><|end_acoustic_token|>", codes(new SplittableRandom(3), 32, 4096));
        VoiceProfile back = VoiceProfileFile.fromBytes(VoiceProfileFile.toBytes(voice));
        assertEquals(voice, back);
        assertEquals(Gender.MALE, ((CreatedVoice) back).attributes().gender());
        assertEquals(Level.VERY_HIGH, ((CreatedVoice) back).attributes().pitch());
        assertEquals(Level.LOW, ((CreatedVoice) back).attributes().speed());
    }

    @Test
    void headerLayoutIsAsDocumented() {
        byte[] bytes = VoiceProfileFile.toBytes(cloned("x"));
        assertEquals("SPKVOICE", new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        ByteBuffer h = ByteBuffer.wrap(bytes, 8, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, h.getShort());
        assertEquals(1, h.getShort());
        assertEquals(2 + 64 + 4 + 600 + 1 + 4 + 1, h.getInt());
        assertEquals(bytes.length - 24, h.getInt());
    }

    @Test
    void everyTruncationAndEveryFlippedByteIsAClearErrorOrTheSameVoice() {
        ClonedVoice voice = cloned("transcript");
        byte[] good = VoiceProfileFile.toBytes(voice);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            SparkTtsException e = assertThrows(SparkTtsException.class, () -> VoiceProfileFile.fromBytes(cut), "length " + n);
            assertTrue(e.getMessage().contains("voice profile"), e.getMessage());
        }
        for (int i = 0; i < good.length; i++) {
            for (int bit : new int[] {0, 3, 7}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                try {
                    // LZ4 can spell the same bytes in several ways; a flip that still decodes to the checksummed
                    // payload is harmless, anything else must be refused
                    assertEquals(voice, VoiceProfileFile.fromBytes(bad), "byte " + i + " bit " + bit);
                    assertTrue(i >= 24, "a header flip was accepted: byte " + i);
                } catch (SparkTtsException expected) {
                    assertTrue(expected.getMessage().contains("voice profile"), expected.getMessage());
                }
            }
        }
    }

    @Test
    void randomGarbageWithAValidHeaderAndChecksumIsRefusedCleanly() {
        SplittableRandom r = new SplittableRandom(11);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] payload = new byte[r.nextInt(0, 80)];
            for (int i = 0; i < payload.length; i++) payload[i] = (byte) r.nextInt(256);
            byte[] file = wrap(payload, 1 + r.nextInt(2));
            try {
                VoiceProfileFile.fromBytes(file);
            } catch (SparkTtsException e) {
                refused++;
            }
        }
        assertTrue(refused > 1900, "refused " + refused);
    }

    @Test
    void outOfRangeCodesInsideAConsistentFileAreNamed() {
        ByteBuffer p = ByteBuffer.allocate(2 + 2 + 4 + 1 + 4).order(ByteOrder.LITTLE_ENDIAN);
        p.putShort((short) 1).putShort((short) 5000).putInt(0).put((byte) 0).putInt(0);
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> VoiceProfileFile.fromBytes(wrap(p.array(), 1)));
        assertEquals("corrupt voice profile: global token[0] = 5000 is outside 0..4095", e.getMessage());
    }

    @Test
    void otherVersionsAndMissingFilesAreNamed() throws Exception {
        byte[] bytes = VoiceProfileFile.toBytes(cloned(null));
        bytes[8] = 9;
        assertEquals("voice profile version 9 is not supported (this library reads version 1)",
                assertThrows(SparkTtsException.class, () -> VoiceProfileFile.fromBytes(bytes)).getMessage());
        Path none = dir.resolve("none.voice");
        assertEquals(none + ": no such voice profile file",
                assertThrows(SparkTtsException.class, () -> VoiceProfileFile.read(none)).getMessage());
        Path text = dir.resolve("text.voice");
        Files.writeString(text, "hello");
        assertEquals(text + ": not a voice profile (no SPKVOICE header)",
                assertThrows(SparkTtsException.class, () -> VoiceProfileFile.read(text)).getMessage());
    }

    /** A file around an arbitrary payload with a correct header, LZ4 block and checksum. */
    private static byte[] wrap(byte[] payload, int kind) {
        net.jpountz.lz4.LZ4Compressor lz4 = net.jpountz.lz4.LZ4Factory.safeInstance().fastCompressor();
        byte[] packed = lz4.compress(payload);
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(24 + packed.length).order(ByteOrder.LITTLE_ENDIAN)
                .put("SPKVOICE".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) 1).putShort((short) kind)
                .putInt(payload.length).putInt(packed.length).putInt((int) crc.getValue()).put(packed).array();
    }
}
