package io.sparktts.tokenizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE: a piece's UTF-8 bytes start as one symbol each, then adjacent pairs merge, lowest merge rank
 * first and leftmost first among equal ranks, until no pair has a merge. This is Hugging Face's order (a heap of
 * candidate merges over a linked list of symbols, O(n log n) in the piece length). Results for short pieces are
 * cached; the cache is shared by all threads.
 */
final class BytePairEncoder {
    /** Hugging Face's defaults: pieces up to this many chars are cached, up to this many entries. */
    private static final int CACHED_PIECE_LENGTH = 256;
    private static final int CACHE_CAPACITY = 10_000;

    private final int[] byteIds;
    private final LongIntMap pairRanks;
    private final int[] mergedIds;
    private final Map<String, Integer> vocab;
    private final boolean ignoreMerges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param byteIds      token id of each single byte's alphabet character
     * @param pairRanks    rank of each mergeable pair {@code (left << 32) | right}
     * @param mergedIds    token id produced by the merge of each rank
     * @param vocab        the model vocabulary, byte-level strings to ids
     * @param ignoreMerges whether a piece that is itself a vocabulary entry becomes that one token unmerged
     */
    BytePairEncoder(int[] byteIds, LongIntMap pairRanks, int[] mergedIds, Map<String, Integer> vocab,
                    boolean ignoreMerges) {
        this.byteIds = byteIds;
        this.pairRanks = pairRanks;
        this.mergedIds = mergedIds;
        this.vocab = vocab;
        this.ignoreMerges = ignoreMerges;
    }

    /** Appends the ids of the piece {@code text[from, to)} (no unpaired surrogates) to {@code out}. */
    void encode(String text, int from, int to, Scratch scratch) {
        IntList out = scratch.out;
        if (to - from == 1 && text.charAt(from) < 0x80) {
            out.add(byteIds[text.charAt(from)]);
            return;
        }
        boolean cacheable = to - from <= CACHED_PIECE_LENGTH;
        String key = cacheable ? text.substring(from, to) : null;
        if (cacheable) {
            int[] hit = cache.get(key);
            if (hit != null) {
                out.addAll(hit);
                return;
            }
        }
        int n = toSymbols(text, from, to, scratch);
        if (ignoreMerges) {
            Integer whole = vocab.get(byteLevelString(scratch.bytes, n));
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        int start = out.size();
        merge(n, scratch);
        if (cacheable && cache.size() < CACHE_CAPACITY) {
            cache.put(key, out.copyFrom(start));
        }
    }

    /** Writes the piece's bytes and their single-byte ids into the scratch arrays; returns the byte count. */
    private int toSymbols(String text, int from, int to, Scratch scratch) {
        scratch.ensure(utf8Length(text, from, to));
        byte[] bytes = scratch.bytes;
        int n = 0;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                bytes[n++] = (byte) cp;
            } else if (cp < 0x800) {
                bytes[n++] = (byte) (0xC0 | (cp >> 6));
                bytes[n++] = (byte) (0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                bytes[n++] = (byte) (0xE0 | (cp >> 12));
                bytes[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                bytes[n++] = (byte) (0xF0 | (cp >> 18));
                bytes[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[n++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        int[] symbols = scratch.symbols;
        for (int i = 0; i < n; i++) {
            symbols[i] = byteIds[bytes[i] & 0xFF];
        }
        return n;
    }

    private static int utf8Length(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
        }
        return n;
    }

    private static String byteLevelString(byte[] bytes, int n) {
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = ByteLevel.charOf(bytes[i]);
        }
        return new String(chars);
    }

    /**
     * Merges {@code scratch.symbols[0, n)} and appends the result to {@code scratch.out}. {@code pairRank[i]} is the
     * rank of the pair starting at symbol i (or -1): a queued candidate is current exactly when its rank still is.
     * That is Hugging Face's check (the pair still merges into the same token): the pair at a position only ever
     * grows, and a longer byte span cannot merge into the same token.
     */
    private void merge(int n, Scratch scratch) {
        int[] symbols = scratch.symbols;
        int[] prev = scratch.prev;
        int[] next = scratch.next;
        int[] pairRank = scratch.pairRank;
        MergeQueue queue = scratch.queue;
        queue.clear();
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            pairRank[i] = i + 1 < n ? offer(queue, symbols[i], symbols[i + 1], i) : -1;
        }
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (symbols[pos] < 0 || pairRank[pos] != rank) {
                continue;
            }
            int right = next[pos];
            symbols[pos] = mergedIds[rank];
            symbols[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) {
                prev[after] = pos;
                pairRank[pos] = offer(queue, symbols[pos], symbols[after], pos);
            } else {
                pairRank[pos] = -1;
            }
            int before = prev[pos];
            if (before >= 0) {
                pairRank[before] = offer(queue, symbols[before], symbols[pos], before);
            }
        }
        IntList out = scratch.out;
        for (int i = 0; i >= 0; i = next[i]) {
            out.add(symbols[i]);
        }
    }

    /** Queues the pair at {@code pos} if it has a merge; returns its rank, or -1. */
    private int offer(MergeQueue queue, int left, int right, int pos) {
        int rank = rank(left, right);
        if (rank >= 0) {
            queue.add(((long) rank << 32) | pos);
        }
        return rank;
    }

    private int rank(int left, int right) {
        return pairRanks.get(((long) left << 32) | right);
    }

    /** Per-call working memory of one encode; never shared between threads. */
    static final class Scratch {
        final IntList out = new IntList();
        final MergeQueue queue = new MergeQueue();
        byte[] bytes = new byte[64];
        int[] symbols = new int[64];
        int[] prev = new int[64];
        int[] next = new int[64];
        int[] pairRank = new int[64];

        void ensure(int n) {
            if (bytes.length < n) {
                int size = Math.max(n, bytes.length * 2);
                bytes = new byte[size];
                symbols = new int[size];
                prev = new int[size];
                next = new int[size];
                pairRank = new int[size];
            }
        }
    }
}
