package io.sparktts.core.sampling;

import java.util.Arrays;

/**
 * The tokens a generation may produce, e.g. the semantic tokens and end-of-speech while generating speech. Only
 * these rows of the output layer are computed; sampling among them equals HF sampling with every other logit set
 * to {@code -inf}. Immutable: ids are kept sorted and distinct.
 */
public final class LogitsRestriction {
    private final int[] ids;

    private LogitsRestriction(int[] sortedDistinct) {
        this.ids = sortedDistinct;
    }

    /** The given token ids (any order, duplicates dropped); at least one, none negative. */
    public static LogitsRestriction of(int... tokenIds) {
        int[] sorted = Arrays.stream(tokenIds).sorted().distinct().toArray();
        if (sorted.length == 0 || sorted[0] < 0) {
            throw new IllegalArgumentException("a logits restriction needs one or more non-negative token ids");
        }
        return new LogitsRestriction(sorted);
    }

    /** Tokens {@code from .. to-1} plus {@code extra} ones. */
    public static LogitsRestriction range(int from, int to, int... extra) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("token range " + from + ".." + to + " is empty or negative");
        }
        int[] all = Arrays.copyOf(extra, extra.length + to - from);
        for (int i = from; i < to; i++) {
            all[extra.length + i - from] = i;
        }
        return of(all);
    }

    public int size() {
        return ids.length;
    }

    /** The token id at index {@code i} of a restricted logits array. */
    public int tokenAt(int i) {
        return ids[i];
    }

    public int[] ids() {
        return ids.clone();
    }

    /** The ids without a copy, for the output layer; callers must not modify it. */
    public int[] sharedIds() {
        return ids;
    }

    public int largest() {
        return ids[ids.length - 1];
    }

    public boolean contains(int tokenId) {
        return Arrays.binarySearch(ids, tokenId) >= 0;
    }
}
