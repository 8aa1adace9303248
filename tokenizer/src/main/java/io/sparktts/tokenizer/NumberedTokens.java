package io.sparktts.tokenizer;

/**
 * A series of added tokens {@code prefix + n + suffix} for n = 0..count-1 with consecutive ids, such as
 * {@code <|bicodec_semantic_0|>..<|bicodec_semantic_8191|>}: maps between n and the token id without looking at
 * text. Obtained from {@link Tokenizer#numberedTokens}, which checks the ids.
 */
public record NumberedTokens(String prefix, String suffix, int firstId, int count) {

    /** The id of token n; an IllegalArgumentException when n is outside 0..count-1. */
    public int id(int n) {
        if (n < 0 || n >= count) {
            throw new IllegalArgumentException(prefix + n + suffix + ": " + n + " is outside 0.." + (count - 1));
        }
        return firstId + n;
    }

    /** The n of a token id of this series, or -1 when the id is not one of them. */
    public int numberOf(int id) {
        int n = id - firstId;
        return n >= 0 && n < count ? n : -1;
    }

    public boolean contains(int id) {
        return numberOf(id) >= 0;
    }
}
