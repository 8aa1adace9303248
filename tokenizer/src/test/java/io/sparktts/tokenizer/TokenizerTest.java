package io.sparktts.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lookups, bad input and very long input on the golden tokenizer. */
class TokenizerTest {
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = GoldenCasesTest.golden();
    }

    private static int id(String token) {
        return tokenizer.tokenId(token).orElseThrow();
    }

    private static int byteId(int b) {
        return id(String.valueOf(ByteLevel.charOf(b)));
    }

    @Test
    void lookupsBothWays() {
        assertEquals(165_158, tokenizer.size());
        assertEquals(151_645, id("<|im_end|>"));
        assertEquals(151_665, id("<|bicodec_global_0|>"));
        assertEquals(155_761, id("<|bicodec_semantic_0|>"));
        assertEquals(163_952, id("<|bicodec_semantic_8191|>"));
        assertEquals(165_137, id("<|task_tts|>"));
        assertEquals(9707, id("Hello"));
        assertEquals(220, id("\u0120"), "a space is the byte-level character U+0120");
        assertEquals(OptionalInt.empty(), tokenizer.tokenId("<|bicodec_semantic_8192|>"));
        assertEquals("<|bicodec_semantic_17|>", tokenizer.token(155_778));
        assertEquals("Hello", tokenizer.token(9707));
        assertTrue(tokenizer.isSpecial(151_643));
        assertFalse(tokenizer.isSpecial(151_657), "<tool_call> is not special in Qwen2.5");
        assertFalse(tokenizer.isSpecial(165_137), "the Spark-TTS tokens are not special");
    }

    @Test
    void unknownIdsAreRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {9707, 165_158}, false));
        assertEquals("unknown token id 165158 at position 1 (this tokenizer has ids 0..165157)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}, true));
        assertEquals("unknown token id -1 at position 0 (this tokenizer has ids 0..165157)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tokenizer.token(Integer.MAX_VALUE));
        assertEquals("unknown token id 2147483647 (this tokenizer has ids 0..165157)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.isSpecial(-5));
    }

    @Test
    void nullIsANullPointerExceptionWithAMessage() {
        assertEquals("text is null", assertThrows(NullPointerException.class, () -> tokenizer.encode(null)).getMessage());
        assertEquals("ids is null",
                assertThrows(NullPointerException.class, () -> tokenizer.decode(null, false)).getMessage());
        assertEquals("token is null",
                assertThrows(NullPointerException.class, () -> tokenizer.tokenId(null)).getMessage());
    }

    @Test
    void unpairedSurrogatesReadAsReplacementCharacters() {
        int[] replaced = tokenizer.encode("a\uFFFDb\uFFFD");
        assertArrayEquals(replaced, tokenizer.encode("a\uD800b\uDC00"));
        assertEquals("a\uFFFDb\uFFFD", tokenizer.decode(replaced, false));
        assertArrayEquals(tokenizer.encode("\uFFFD\uFFFD"), tokenizer.encode("\uDC00\uD800"), "reversed pair");
        assertEquals("x\uD83D\uDE00", tokenizer.decode(tokenizer.encode("x\uD83D\uDE00"), false), "a real pair is kept");
    }

    @Test
    void decodeReplacesCutCharacters() {
        // 中 is E4 B8 AD
        assertEquals("\uFFFD", tokenizer.decode(new int[] {byteId(0xE4), byteId(0xB8)}, false));
        assertEquals("\uFFFDA", tokenizer.decode(new int[] {byteId(0xE4), byteId(0xB8), id("A")}, false));
        assertEquals("\u4E2D", tokenizer.decode(new int[] {byteId(0xE4), byteId(0xB8), byteId(0xAD)}, false));
        int[] cut = {byteId(0xE4), id("<|im_end|>"), byteId(0xAD)};
        assertEquals("\uFFFD<|im_end|>\uFFFD", tokenizer.decode(cut, false));
        assertEquals("\uFFFD", tokenizer.decode(cut, true), "a skipped token leaves the bytes around it adjacent");
    }

    @Test
    void skipSpecialTokensDropsOnlyQwenSpecials() {
        int[] ids = tokenizer.encode("<|im_start|>hi<|task_tts|><tool_call><|im_end|>");
        assertEquals("hi<|task_tts|><tool_call>", tokenizer.decode(ids, true));
        assertEquals("<|im_start|>hi<|task_tts|><tool_call><|im_end|>", tokenizer.decode(ids, false));
        assertEquals("", tokenizer.decode(new int[0], false));
        assertArrayEquals(new int[0], tokenizer.encode(""));
    }

    /** 10 MB of mixed text: a unit that starts and ends a piece, repeated, gives the unit's ids repeated. */
    @Test
    void tenMegabytesOfMixedText() {
        String unit = "Spark-TTS 把文字变成语音，it's 42% faster! <|task_tts|><|bicodec_semantic_7|>\n";
        int[] unitIds = tokenizer.encode(unit);
        int unitBytes = unit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        int copies = 10_000_000 / unitBytes + 1;
        int[] ids = tokenizer.encode(unit.repeat(copies));
        assertEquals(unitIds.length * copies, ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != unitIds[i % unitIds.length]) {
                throw new AssertionError("id " + i + " is " + ids[i] + ", expected " + unitIds[i % unitIds.length]);
            }
        }
    }

    /** One piece or one split alternative spanning a megabyte or more: no backtracking blow-up, no deep stack. */
    @Test
    void longRunsOfOneKind() {
        for (String unit : List.of("a", " ", "!", "7", "\n ", "中", "<|bicodec_semantic_", "\uD83D\uDE00")) {
            String text = unit.repeat(1_000_000 / unit.length());
            assertEquals(text, tokenizer.decode(tokenizer.encode(text), false), GoldenCasesTest.escape(unit));
        }
        int[] spaces = tokenizer.encode(" ".repeat(1_000_000));
        assertEquals(1_000_000 / 128 + 1, spaces.length, "the longest space token has 128 spaces");
        assertEquals("\u0120".repeat(128), tokenizer.token(spaces[0]));
        assertEquals("\u0120".repeat(64), tokenizer.token(spaces[spaces.length - 1]));
    }

    /** Threads sharing one tokenizer, and its merge cache, from cold. */
    @Test
    void concurrentEncodesAgree() throws Exception {
        Tokenizer shared = Tokenizer.load(GoldenCasesTest.TOKENIZER_JSON);
        List<GoldenCasesTest.Case> cases = GoldenCasesTest.cases();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int offset = t * 97;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < cases.size(); i++) {
                        GoldenCasesTest.check(shared, cases.get((i + offset) % cases.size()));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
