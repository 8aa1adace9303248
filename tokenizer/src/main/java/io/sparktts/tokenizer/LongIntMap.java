package io.sparktts.tokenizer;

/**
 * Open-addressing map from long keys to non-negative int values, without boxing: the merge ranks of token pairs
 * and the edges of the added-token trie. Filled once while loading, read concurrently afterwards.
 */
final class LongIntMap {
    /** Key at 2i, value at 2i+1 (-1: empty slot): one cache line per probe. */
    private long[] slots;
    private int size;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) * 2;
        slots = emptySlots(capacity);
    }

    /** The value stored for {@code key}, or -1. */
    int get(long key) {
        long[] s = slots;
        int mask = (s.length >> 1) - 1;
        int i = slot(key, mask);
        while (true) {
            long v = s[2 * i + 1];
            if (v < 0 || s[2 * i] == key) {
                return (int) v;
            }
            i = (i + 1) & mask;
        }
    }

    /** Stores {@code value >= 0}, replacing any earlier value of the key. */
    void put(long key, int value) {
        if ((size + 1) * 4 > slots.length) {
            grow();
        }
        int mask = (slots.length >> 1) - 1;
        int i = slot(key, mask);
        while (slots[2 * i + 1] >= 0 && slots[2 * i] != key) {
            i = (i + 1) & mask;
        }
        if (slots[2 * i + 1] < 0) {
            size++;
        }
        slots[2 * i] = key;
        slots[2 * i + 1] = value;
    }

    private void grow() {
        long[] old = slots;
        slots = emptySlots(old.length);
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i + 1] >= 0) {
                put(old[i], (int) old[i + 1]);
            }
        }
    }

    /** Room for {@code capacity} entries, all empty. */
    private static long[] emptySlots(int capacity) {
        long[] s = new long[2 * capacity];
        for (int i = 1; i < s.length; i += 2) {
            s[i] = -1;
        }
        return s;
    }

    private static int slot(long key, int mask) {
        long h = (key ^ (key >>> 33)) * 0xFF51AFD7ED558CCDL;
        return (int) (h ^ (h >>> 33)) & mask;
    }
}
