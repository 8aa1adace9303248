package io.sparktts.tokenizer;

import java.util.List;

/**
 * Splits text on added tokens the way Hugging Face's added vocabulary does: a trie finds the leftmost match,
 * the longest one among those starting there, then continues after it; each match is then filtered and widened by
 * its token's single_word, lstrip and rstrip flags.
 */
final class AddedTokenMatcher {
    private final LongIntMap edges;
    /** Index into {@link #tokens} of the pattern ending at each trie node, or -1. */
    private final int[] terminal;
    /** Which chars start some pattern: a quick test that rejects most text positions. */
    private final long[] firstChars = new long[1 << 10];
    private final List<AddedToken> tokens;
    private final int[] ids;
    private final boolean empty;

    /**
     * @param patterns the text each token matches (its content, or the content's NFC for normalized tokens)
     * @param tokens   the tokens, parallel to patterns
     * @param ids      their ids, parallel to patterns
     */
    AddedTokenMatcher(List<String> patterns, List<AddedToken> tokens, int[] ids) {
        this.tokens = List.copyOf(tokens);
        this.ids = ids.clone();
        this.empty = patterns.isEmpty();
        int chars = 0;
        for (String p : patterns) {
            chars += p.length();
        }
        edges = new LongIntMap(chars);
        int[] term = new int[chars + 1];
        java.util.Arrays.fill(term, -1);
        int nodes = 1;
        for (int t = 0; t < patterns.size(); t++) {
            String p = patterns.get(t);
            firstChars[p.charAt(0) >>> 6] |= 1L << p.charAt(0);
            int node = 0;
            for (int i = 0; i < p.length(); i++) {
                long key = edgeKey(node, p.charAt(i));
                int child = edges.get(key);
                if (child < 0) {
                    child = nodes++;
                    edges.put(key, child);
                }
                node = child;
            }
            term[node] = t;
        }
        terminal = java.util.Arrays.copyOf(term, nodes);
    }

    /**
     * Appends to {@code out} the segments of {@code s} as triples (start, end, id), id -1 for text between tokens.
     * Together they cover {@code s} (segments of tokens that strip white space may overlap, as in Hugging Face).
     */
    void split(String s, IntList out) {
        int n = s.length();
        if (n == 0) {
            return;
        }
        if (empty) {
            addSegment(out, 0, n, -1);
            return;
        }
        int startOffset = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if ((firstChars[c >>> 6] & (1L << c)) == 0) {
                i++;
                continue;
            }
            int best = -1;
            int bestEnd = -1;
            int node = 0;
            for (int j = i; j < n; j++) {
                node = edges.get(edgeKey(node, s.charAt(j)));
                if (node < 0) {
                    break;
                }
                if (terminal[node] >= 0) {
                    best = terminal[node];
                    bestEnd = j + 1;
                }
            }
            if (best < 0) {
                i++;
                continue;
            }
            int start = i;
            int stop = bestEnd;
            i = bestEnd;
            AddedToken token = tokens.get(best);
            if (token.singleWord()) {
                boolean spaceBefore = start == 0 || !isWordChar(s.codePointBefore(start));
                boolean spaceAfter = stop == n || !isWordChar(s.codePointAt(stop));
                if (!spaceBefore || !spaceAfter) {
                    continue;
                }
            }
            if (token.lstrip()) {
                int newStart = start;
                while (newStart > 0 && Qwen2PreTokenizer.isWhiteSpace(s.codePointBefore(newStart))) {
                    newStart -= Character.charCount(s.codePointBefore(newStart));
                }
                start = Math.max(newStart, startOffset);
            }
            if (token.rstrip()) {
                while (stop < n && Qwen2PreTokenizer.isWhiteSpace(s.codePointAt(stop))) {
                    stop += Character.charCount(s.codePointAt(stop));
                }
            }
            if (startOffset < start) {
                addSegment(out, startOffset, start, -1);
            }
            addSegment(out, start, stop, ids[best]);
            startOffset = stop;
        }
        if (startOffset != n) {
            addSegment(out, startOffset, n, -1);
        }
    }

    private static void addSegment(IntList out, int start, int end, int id) {
        out.add(start);
        out.add(end);
        out.add(id);
    }

    private static long edgeKey(int node, char c) {
        return ((long) node << 16) | c;
    }

    /** Rust regex {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, joiners. */
    private static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.CONNECTOR_PUNCTUATION -> true;
            default -> false;
        };
    }
}
