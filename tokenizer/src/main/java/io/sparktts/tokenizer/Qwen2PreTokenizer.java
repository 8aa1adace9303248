package io.sparktts.tokenizer;

/**
 * The Qwen2 split of text into pieces, the regular expression
 * <pre>{@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}</pre>
 * as Oniguruma runs it for Hugging Face tokenizers ({@code \s} is Unicode White_Space, {@code (?i)} folds
 * U+017F to s), written as a scanner: every position starts a piece, and each alternative's backtracking is
 * resolved by looking at the run it would consume, so the whole split is linear in the text and uses no stack.
 */
final class Qwen2PreTokenizer {
    /** The text of the regex in tokenizer.json; only this split is implemented. */
    static final String PATTERN =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte NUMBER = 2;
    private static final byte SPACE = 3;
    private static final byte[] BMP_CLASS = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP_CLASS[c] = classify(c);
        }
    }

    private Qwen2PreTokenizer() {}

    /**
     * End (exclusive, in chars) of the piece that starts at {@code p}, splitting the text {@code s[p, n)} (which
     * holds no unpaired surrogates).
     */
    static int pieceEnd(String s, int p, int n) {
        int c = s.codePointAt(p);
        int afterC = p + Character.charCount(c);
        byte cls = classOf(c);

        if (c == '\'' && afterC < n) {
            int contraction = contractionLength(s, afterC, n);
            if (contraction > 0) {
                return afterC + contraction;
            }
        }
        if (cls == LETTER) {
            return runEnd(s, afterC, n, LETTER);
        }
        if (cls == NUMBER) {
            return afterC;
        }
        int next = afterC < n ? s.codePointAt(afterC) : -1;
        byte nextCls = next < 0 ? -1 : classOf(next);
        // [^\r\n\p{L}\p{N}]?\p{L}+ with the optional character present
        if (nextCls == LETTER && c != '\r' && c != '\n') {
            return runEnd(s, afterC + Character.charCount(next), n, LETTER);
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        if (cls == OTHER) {
            return newlineRunEnd(s, runEnd(s, afterC, n, OTHER), n);
        }
        if (c == ' ' && nextCls == OTHER) {
            return newlineRunEnd(s, runEnd(s, afterC + Character.charCount(next), n, OTHER), n);
        }
        // c is white space: the three white-space alternatives over the run it starts
        int runEnd = afterC;
        int lastNewline = (c == '\r' || c == '\n') ? p : -1;
        int lastStart = p;
        while (runEnd < n) {
            int d = s.codePointAt(runEnd);
            if (classOf(d) != SPACE) {
                break;
            }
            if (d == '\r' || d == '\n') {
                lastNewline = runEnd;
            }
            lastStart = runEnd;
            runEnd += Character.charCount(d);
        }
        if (lastNewline >= 0) {
            return lastNewline + 1; // \s*[\r\n]+ backtracks to the last line break of the run
        }
        if (runEnd == n || lastStart == p) {
            return runEnd; // \s+(?!\S) at the end of the text, or a single \s+ character
        }
        return lastStart; // \s+(?!\S) leaves the last space to the next piece
    }

    /** Length of {@code s|t|re|ve|m|ll|d} (case-insensitive) at {@code i}, or 0. */
    private static int contractionLength(String s, int i, int n) {
        char a = s.charAt(i);
        char b = i + 1 < n ? s.charAt(i + 1) : 0;
        switch (a) {
            case 's', 'S', '\u017F', 't', 'T', 'm', 'M', 'd', 'D' -> {
                return 1;
            }
            case 'r', 'R', 'v', 'V' -> {
                return b == 'e' || b == 'E' ? 2 : 0;
            }
            case 'l', 'L' -> {
                return b == 'l' || b == 'L' ? 2 : 0;
            }
            default -> {
                return 0;
            }
        }
    }

    private static int runEnd(String s, int i, int n, byte cls) {
        while (i < n) {
            char ch = s.charAt(i);
            if (!Character.isSurrogate(ch)) {
                if (BMP_CLASS[ch] != cls) {
                    return i;
                }
                i++;
            } else {
                int cp = s.codePointAt(i);
                if (classOf(cp) != cls) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    private static int newlineRunEnd(String s, int i, int n) {
        while (i < n && (s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }

    private static byte classOf(int cp) {
        return cp < 0x10000 ? BMP_CLASS[cp] : classify(cp);
    }

    private static byte classify(int cp) {
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        if (Character.isLetter(cp)) {
            return LETTER;
        }
        return switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    /** Unicode's White_Space property (not Java's isWhitespace, which differs on U+001C..U+001F, NBSP, U+0085). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }
}
