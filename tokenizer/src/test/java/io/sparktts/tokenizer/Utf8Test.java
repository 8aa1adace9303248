package io.sparktts.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static String lossy(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8.decodeLossy(b, b.length);
    }

    @Test
    void replacesMaximalSubpartsLikeRust() {
        // The Unicode Standard's example (chapter 3, U+FFFD substitution of maximal subparts)
        assertEquals("a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd",
                lossy(0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64));
        assertEquals("Hello\uFFFDWorld", lossy('H', 'e', 'l', 'l', 'o', 0xF0, 0x90, 0x80, 'W', 'o', 'r', 'l', 'd'));
        assertEquals("\uFFFD\uFFFD\uFFFD", lossy(0xE0, 0x80, 0x80), "overlong");
        assertEquals("\uFFFD\uFFFD\uFFFD", lossy(0xED, 0xA0, 0x80), "surrogate");
        assertEquals("\uFFFD\uFFFD\uFFFD", lossy(0xED, 0xBF, 0xF0), "surrogate lead, then a cut-short sequence");
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", lossy(0xF4, 0x90, 0x80, 0x80), "above U+10FFFF");
        assertEquals("\uFFFD\uFFFD", lossy(0xC0, 0x80));
        assertEquals("\uFFFD", lossy(0xE4, 0xB8), "cut short at the end");
        assertEquals("\uFFFDA", lossy(0xE4, 0xB8, 'A'));
        assertEquals("\u4E2D\uD83D\uDE00", lossy(0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80));
        assertEquals("", lossy());
    }

    /**
     * The JDK's decoder also substitutes maximal subparts, except that it reads an encoded surrogate (ED A0..BF)
     * as one unit where Rust writes one U+FFFD per byte (checked above), so lead byte ED is left out here.
     */
    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() throws Exception {
        var jdk = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        SplittableRandom random = new SplittableRandom(7);
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                0xE1, 0xEC, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[random.nextInt(1, 9)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) interesting[random.nextInt(interesting.length)];
            }
            if (hasSurrogatePrefix(b)) {
                continue;
            }
            assertEquals(jdk.decode(ByteBuffer.wrap(b)).toString(), Utf8.decodeLossy(b, b.length), java.util.HexFormat.of().formatHex(b));
        }
    }

    private static boolean hasSurrogatePrefix(byte[] b) {
        for (int k = 0; k + 1 < b.length; k++) {
            if ((b[k] & 0xFF) == 0xED && (b[k + 1] & 0xFF) >= 0xA0 && (b[k + 1] & 0xFF) <= 0xBF) {
                return true;
            }
        }
        return false;
    }
}
