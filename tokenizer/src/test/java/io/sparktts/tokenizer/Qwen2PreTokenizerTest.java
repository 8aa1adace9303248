package io.sparktts.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scanner against the Qwen2 pattern run by java.util.regex with Oniguruma's character classes. */
class Qwen2PreTokenizerTest {
    /** Unicode White_Space, as Oniguruma's \s. */
    private static final String S = "[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
    private static final String NOT_S = S.replace("[", "[^");
    private static final Pattern REFERENCE = Pattern.compile(
            "(?iu:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^" + S.substring(1, S.length() - 1)
                    + "\\p{L}\\p{N}]+[\\r\\n]*|" + S + "*[\\r\\n]+|" + S + "+(?!" + NOT_S + ")|" + S + "+");

    /** Letters (ASCII, CJK, astral, long s), digits, marks, spaces of every kind, punctuation, controls. */
    private static final int[] ALPHABET = {
            'a', 'S', 's', 't', 'r', 'e', 'v', 'm', 'l', 'L', 'd', 'D', 'x', '\'', '\u017F', '\u4E2D', '\u6587',
            0x1D400, 0x20000, '1', '\u0663', '\u2460', '\u00BD', ' ', ' ', '\t', '\n', '\r', '\u000B', '\u000C',
            '\u0085', '\u00A0', '\u3000', '\u2028', '\u200B', '\uFEFF', '\u0301', '.', ',', '!', '\u3002', '-',
            '\u0000', 0x1F600, '<', '|', '>'};

    static List<String> reference(String s) {
        List<String> pieces = new ArrayList<>();
        Matcher m = REFERENCE.matcher(s);
        int at = 0;
        while (m.find()) {
            assertEquals(at, m.start(), "the pattern matches every position");
            pieces.add(m.group());
            at = m.end();
        }
        assertEquals(s.length(), at);
        return pieces;
    }

    static List<String> scanned(String s) {
        List<String> pieces = new ArrayList<>();
        for (int p = 0; p < s.length(); ) {
            int end = Qwen2PreTokenizer.pieceEnd(s, p, s.length());
            pieces.add(s.substring(p, end));
            p = end;
        }
        return pieces;
    }

    @Test
    void matchesTheRegexOnRandomText() {
        SplittableRandom random = new SplittableRandom(20250601);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(1, 14);
            for (int k = 0; k < len; k++) {
                b.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            String s = b.toString();
            assertEquals(reference(s), scanned(s), () -> GoldenCasesTest.escape(s));
        }
    }

    @Test
    void examples() {
        assertEquals(List.of("Hello", " world", "'s", " it", "'S", "up", " ", "1", "2", "3", "!!\n\n", " ", " x"),
                scanned("Hello world's it'Sup 123!!\n\n  x"));
        assertEquals(List.of("a", " \n", "  ", " b", "\u00A0", "\u00A0c", "   "), scanned("a \n   b\u00A0\u00A0c   "));
        assertEquals(List.of("it", "'\u017F", "up"), scanned("it'\u017Fup"), "(?i) folds long s to s");
        assertEquals(List.of("\n", "abc", "\r\n"), scanned("\nabc\r\n"));
        assertEquals(List.of("\uD835\uDC00\uD835\uDC01", " \uD83D\uDE00"), scanned("\uD835\uDC00\uD835\uDC01 \uD83D\uDE00"),
                "astral letters form one run; a space joins the symbol after it");
    }
}
