package io.sparktts.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing map from long keys to non-negative int values, without boxing: the merge ranks of token pairs
 * and the edges of the added-token trie. Filled once while loading, read concurrently afterwards.
 */
final class LongIntMap {
    private long[] keys;
    private int[] values;
    private int size;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) * 2;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, -1);
    }

    /** The value stored for {@code key}, or -1. */
    int get(long key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (true) {
            int v = values[i];
            if (v < 0 || keys[i] == key) {
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    /** Stores {@code value >= 0}, replacing any earlier value of the key. */
    void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] >= 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] < 0) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        Arrays.fill(values, -1);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] >= 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = (key ^ (key >>> 33)) * 0xFF51AFD7ED558CCDL;
        return (int) (h ^ (h >>> 33)) & mask;
    }
}
