package io.sparktts.tokenizer;

import java.nio.charset.StandardCharsets;

/** UTF-8 both ways, decoding ill-formed bytes the way Rust's {@code String::from_utf8_lossy} does. */
final class Utf8 {
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {}

    /** Bytes of a string without unpaired surrogates (the loaders reject tokens that have them). */
    static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes {@code bytes[0..length)}; every maximal prefix of a well-formed sequence that is cut short, and every
     * byte that cannot start one, becomes one U+FFFD (Unicode's "maximal subpart" practice, which Rust follows).
     */
    static String decodeLossy(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int width;
            int secondLow = 0x80;
            int secondHigh = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                width = 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                width = 3;
                if (b0 == 0xE0) {
                    secondLow = 0xA0;
                } else if (b0 == 0xED) {
                    secondHigh = 0x9F; // U+D800..U+DFFF are not scalar values
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                width = 4;
                if (b0 == 0xF0) {
                    secondLow = 0x90;
                } else if (b0 == 0xF4) {
                    secondHigh = 0x8F; // above U+10FFFF
                }
            } else {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int cp = b0 & (0xFF >> (width + 1));
            int taken = 1;
            boolean complete = true;
            while (taken < width) {
                int low = taken == 1 ? secondLow : 0x80;
                int high = taken == 1 ? secondHigh : 0xBF;
                int b = i + taken < length ? bytes[i + taken] & 0xFF : -1;
                if (b < low || b > high) {
                    complete = false;
                    break;
                }
                cp = (cp << 6) | (b & 0x3F);
                taken++;
            }
            if (complete) {
                out.appendCodePoint(cp);
            } else {
                out.append(REPLACEMENT);
            }
            i += taken;
        }
        return out.toString();
    }
}
