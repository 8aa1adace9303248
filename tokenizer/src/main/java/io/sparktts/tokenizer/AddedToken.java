package io.sparktts.tokenizer;

/**
 * A token matched literally in the text before BPE, with Hugging Face's flags.
 *
 * @param content    the literal text
 * @param declaredId the id the file gives it, or -1 where the file gives none
 * @param special    dropped by {@code decode(ids, true)}
 * @param normalized matched in the NFC text rather than in the raw text
 * @param lstrip     takes the white space before it
 * @param rstrip     takes the white space after it
 * @param singleWord matched only when no word character touches it
 */
record AddedToken(String content, int declaredId, boolean special, boolean normalized, boolean lstrip,
                  boolean rstrip, boolean singleWord) {

    boolean sameFlags(AddedToken o) {
        return special == o.special && normalized == o.normalized && lstrip == o.lstrip && rstrip == o.rstrip
                && singleWord == o.singleWord;
    }
}
