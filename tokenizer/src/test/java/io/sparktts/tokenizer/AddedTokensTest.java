package io.sparktts.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face's added-token flags, which the golden tokenizer does not use (all its tokens have them false), on a
 * tiny tokenizer (ids: byte value; 256 "ab"; 257 "abc"; added tokens from 258).
 */
class AddedTokensTest {
    private static final int SPACE = ' ';

    @TempDir
    Path dir;

    @Test
    void longestMatchAtTheLeftmostPositionWins() throws IOException {
        Tokenizer t = new TinyTokenizer().add("<x>", 258, true, false, false, false, false)
                .add("<x>>", 259, false, false, false, false, false).load(dir);
        assertArrayEquals(new int[] {'a', 259, 'b'}, t.encode("a<x>>b"));
        assertArrayEquals(new int[] {258, 258, SPACE, 258}, t.encode("<x><x> <x>"));
        assertEquals("a<x>>b", t.decode(new int[] {'a', 259, 'b'}, true), "259 is not special");
        assertEquals("ab", t.decode(new int[] {'a', 258, 'b'}, true), "258 is special");
        assertEquals("a<x>b", t.decode(new int[] {'a', 258, 'b'}, false));
    }

    @Test
    void lstripAndRstripTakeTheWhiteSpaceAround() throws IOException {
        Tokenizer plain = new TinyTokenizer().add("<s>", 258, true, false, false, false, false).load(dir);
        assertArrayEquals(new int[] {'a', SPACE, SPACE, 258, SPACE, 'b'}, plain.encode("a  <s> b"));
        Tokenizer left = new TinyTokenizer().add("<s>", 258, true, false, true, false, false).load(dir);
        assertArrayEquals(new int[] {'a', 258, SPACE, 'b'}, left.encode("a \u3000<s> b"));
        Tokenizer right = new TinyTokenizer().add("<s>", 258, true, false, false, true, false).load(dir);
        assertArrayEquals(new int[] {'a', SPACE, 258, 'b'}, right.encode("a <s> \n b"));
    }

    @Test
    void singleWordTokensNeedNoWordCharacterAround() throws IOException {
        Tokenizer t = new TinyTokenizer().add("<s>", 258, false, false, false, false, true).load(dir);
        assertArrayEquals(new int[] {SPACE, 258, SPACE}, t.encode(" <s> "));
        assertArrayEquals(new int[] {258, '.'}, t.encode("<s>."));
        // "a<s>" is plain text: pieces "a", "<s", ">"
        assertArrayEquals(new int[] {'a', '<', 's', '>'}, t.encode("a<s>"));
    }

    @Test
    void normalizedTokensMatchTheNfcText() throws IOException {
        // "<e\u0301>" NFC-normalizes to "<\u00E9>"
        Tokenizer raw = new TinyTokenizer().add("<e\u0301>", 258, false, false, false, false, false).load(dir);
        assertArrayEquals(new int[] {258}, raw.encode("<e\u0301>"));
        assertArrayEquals(new int[] {'<', 0xC3, 0xA9, '>'}, raw.encode("<\u00E9>"));
        Tokenizer normalized = new TinyTokenizer().add("<e\u0301>", 258, false, true, false, false, false).load(dir);
        assertArrayEquals(new int[] {258}, normalized.encode("<e\u0301>"));
        assertArrayEquals(new int[] {258}, normalized.encode("<\u00E9>"));
    }
}
