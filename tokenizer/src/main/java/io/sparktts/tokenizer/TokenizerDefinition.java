package io.sparktts.tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the tokenizer files say, before it is checked and indexed: the model vocabulary (byte-level strings to
 * ids), the merges in rank order, the added tokens in the order Hugging Face adds them, and the options of the
 * supported pipeline.
 *
 * @param source       the file or folder read, for error messages
 * @param merges       pairs {@code [left, right]}; a pair listed twice takes its last rank
 * @param nfc          whether the normalizer is NFC (otherwise there is none)
 * @param ignoreMerges whether a piece that is a vocabulary entry becomes that token without merging
 */
record TokenizerDefinition(Path source, Map<String, Integer> vocab, List<String[]> merges,
                           List<AddedToken> addedTokens, boolean nfc, boolean ignoreMerges) {
}
