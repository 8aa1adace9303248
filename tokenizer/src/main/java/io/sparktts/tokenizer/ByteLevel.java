package io.sparktts.tokenizer;

/**
 * GPT-2's byte-level alphabet: every byte 0..255 is written as one printable character, so that byte strings
 * can live in a string vocabulary. Printable Latin-1 bytes stand for themselves; the other 68 bytes are shifted
 * to U+0100..U+0143 in byte order.
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Byte for each character below U+0144, or -1 where the character is not in the alphabet. */
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /**
     * The bytes a token stands for when decoding: the alphabet characters mapped back to bytes, or, when the token
     * holds any character outside the alphabet (an added token such as one with a space), its own UTF-8 bytes.
     */
    static byte[] decode(String token) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                return Utf8.encode(token);
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
