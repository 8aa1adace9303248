package io.sparktts.tokenizer;

import java.util.Arrays;

/** A growable int array: the ids of one encode. */
final class IntList {
    private int[] values = new int[64];
    private int size;

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void addAll(int[] vs) {
        if (size + vs.length > values.length) {
            values = Arrays.copyOf(values, Math.max(size + vs.length, values.length * 2));
        }
        System.arraycopy(vs, 0, values, size, vs.length);
        size += vs.length;
    }

    int[] copyFrom(int from) {
        return Arrays.copyOfRange(values, from, size);
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
