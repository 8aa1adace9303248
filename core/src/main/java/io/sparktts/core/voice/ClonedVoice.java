package io.sparktts.core.voice;

import java.util.Arrays;

/**
 * A voice taken from a prompt recording: its global tokens, its semantic tokens and, when known, its transcript
 * ({@code null} if not). With a transcript the prompt continues the recording's speech, as upstream does.
 */
public record ClonedVoice(int[] globalTokens, int[] promptSemanticTokens, String transcript) implements VoiceProfile {
    public ClonedVoice {
        if (globalTokens.length == 0) {
            throw new IllegalArgumentException("a voice needs at least one global token");
        }
        globalTokens = VoiceProfile.checkCodes("global token", globalTokens, GLOBAL_CODES);
        promptSemanticTokens = VoiceProfile.checkCodes("semantic token", promptSemanticTokens, SEMANTIC_CODES);
        if (transcript != null && promptSemanticTokens.length == 0) {
            throw new IllegalArgumentException("a transcript needs the prompt's semantic tokens");
        }
    }

    @Override
    public int[] globalTokens() {
        return globalTokens.clone();
    }

    @Override
    public int[] promptSemanticTokens() {
        return promptSemanticTokens.clone();
    }

    /** The same recording's tokens with another transcript ({@code null}: none). */
    public ClonedVoice withTranscript(String newTranscript) {
        return new ClonedVoice(globalTokens, promptSemanticTokens, newTranscript);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClonedVoice v && Arrays.equals(globalTokens, v.globalTokens)
                && Arrays.equals(promptSemanticTokens, v.promptSemanticTokens)
                && java.util.Objects.equals(transcript, v.transcript);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(globalTokens) + Arrays.hashCode(promptSemanticTokens);
    }

    @Override
    public String toString() {
        return "ClonedVoice[" + globalTokens.length + " global, " + promptSemanticTokens.length + " semantic tokens"
                + (transcript == null ? "" : ", transcript '" + transcript + "'") + "]";
    }
}
