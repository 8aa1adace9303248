package io.sparktts.core.voice;

/**
 * A voice to synthesize with: the BiCodec global tokens that carry the speaker's timbre, plus what the prompt needs
 * besides them. Save and load with {@link VoiceProfileFile}.
 */
public sealed interface VoiceProfile permits ClonedVoice, CreatedVoice {
    /** Global tokens in the vocabulary's range {@code [0, 4096)}; a released BiCodec uses 32. */
    int[] globalTokens();

    /** Codes a {@code <|bicodec_global_N|>} token can carry. */
    int GLOBAL_CODES = 4096;
    /** Codes a {@code <|bicodec_semantic_N|>} token can carry. */
    int SEMANTIC_CODES = 8192;

    static int[] checkCodes(String what, int[] codes, int limit) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= limit) {
                throw new IllegalArgumentException(what + "[" + i + "] = " + codes[i] + " is outside 0.." + (limit - 1));
            }
        }
        return codes.clone();
    }
}
