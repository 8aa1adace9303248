package io.sparktts.core.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits long text into chunks the LM can speak in one generation: at sentence ends first (Chinese {@code 。！？；…}
 * and English {@code . ! ? ;} followed by a space or the end, plus line breaks), then at clause marks ({@code ，、：,:}
 * and dashes), then at spaces, and only as a last resort inside a word. Consecutive sentences are packed together
 * while they fit. Closing quotes and brackets stay with the sentence they close.
 *
 * <p>The bound is a speaking weight, not a character count: a Han, kana or Hangul character weighs 3 (about one
 * syllable), anything else 1, so the default of 300 is roughly 100 Chinese characters or 300 Latin letters, about
 * 20 seconds of speech (1000 semantic tokens), well inside the LM's 3000-token generation limit.
 */
public final class TextSplitter {
    public static final int DEFAULT_MAX_WEIGHT = 300;
    private static final String SENTENCE_END_CJK = "。！？；…";
    private static final String SENTENCE_END_LATIN = ".!?;";
    private static final String CLAUSE = "，、：,:—–";
    private static final String CLOSING = "\"'”’」』》〉）)]】";

    private final int maxWeight;

    public TextSplitter(int maxWeight) {
        if (maxWeight < 6) {
            throw new IllegalArgumentException("chunk bound " + maxWeight + " is below 6");
        }
        this.maxWeight = maxWeight;
    }

    public TextSplitter() {
        this(DEFAULT_MAX_WEIGHT);
    }

    /** The chunks in order, each trimmed and non-empty; empty text gives no chunk. */
    public List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String sentence : sentences(text)) {
            for (String piece : fit(sentence)) {
                if (!current.isEmpty() && weight(current) + weight(piece) + 1 > maxWeight) {
                    chunks.add(current.toString());
                    current.setLength(0);
                }
                if (!current.isEmpty() && needsSpace(current, piece)) {
                    current.append(' ');
                }
                current.append(piece);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current.toString());
        }
        return chunks;
    }

    /** Speaking weight of a string: 3 per Han/kana/Hangul code point, 1 per other code point. */
    public static int weight(CharSequence s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            w += isCjk(cp) ? 3 : 1;
            i += Character.charCount(cp);
        }
        return w;
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }

    /** Sentences join with a space, except next to Chinese, Japanese or Korean text and full-width punctuation. */
    private static boolean needsSpace(CharSequence before, String after) {
        return !isWide(Character.codePointBefore(before, before.length())) && !isWide(after.codePointAt(0));
    }

    private static boolean isWide(int cp) {
        return isCjk(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) || cp == '…';
    }

    /** Sentences, each trimmed, with their closing punctuation and quotes. */
    private static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end = -1;
            if (c == '\n' || c == '\r') {
                end = i;
            } else if (SENTENCE_END_CJK.indexOf(c) >= 0 || SENTENCE_END_LATIN.indexOf(c) >= 0) {
                int j = i + 1;
                while (j < text.length() && (SENTENCE_END_CJK.indexOf(text.charAt(j)) >= 0
                        || SENTENCE_END_LATIN.indexOf(text.charAt(j)) >= 0 || CLOSING.indexOf(text.charAt(j)) >= 0)) {
                    j++;
                }
                boolean latinNeedsBreak = SENTENCE_END_LATIN.indexOf(c) >= 0
                        && j < text.length() && !Character.isWhitespace(text.charAt(j)) && !isCjk(text.codePointAt(j));
                if (!latinNeedsBreak) {
                    end = j;
                }
                i = j - 1;
            }
            if (end >= 0) {
                add(out, text.substring(start, end));
                start = end;
            }
            i++;
        }
        add(out, text.substring(start));
        return out;
    }

    private static void add(List<String> out, String s) {
        String t = s.strip();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    /** The sentence itself if it fits, else pieces that do: at clause marks, then spaces, then anywhere. */
    private List<String> fit(String sentence) {
        List<String> out = new ArrayList<>();
        if (weight(sentence) <= maxWeight) {
            out.add(sentence);
            return out;
        }
        StringBuilder current = new StringBuilder();
        for (String piece : splitAfter(sentence, CLAUSE)) {
            for (String word : weight(piece) <= maxWeight ? List.of(piece) : words(piece)) {
                if (!current.isEmpty() && weight(current) + weight(word) > maxWeight) {
                    add(out, current.toString());
                    current.setLength(0);
                }
                current.append(word);
            }
        }
        add(out, current.toString());
        return out;
    }

    private static List<String> splitAfter(String s, String marks) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (marks.indexOf(s.charAt(i)) >= 0) {
                out.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** Words with their trailing space; a word heavier than the bound is cut into pieces that fit. */
    private List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ' ') {
                int end = Math.min(i + 1, s.length());
                if (end > start) {
                    cut(s.substring(start, end), out);
                }
                start = end;
            }
        }
        return out;
    }

    private void cut(String word, List<String> out) {
        int start = 0;
        int w = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int cw = isCjk(cp) ? 3 : 1;
            if (w + cw > maxWeight) {
                out.add(word.substring(start, i));
                start = i;
                w = 0;
            }
            w += cw;
            i += Character.charCount(cp);
        }
        out.add(word.substring(start));
    }
}
