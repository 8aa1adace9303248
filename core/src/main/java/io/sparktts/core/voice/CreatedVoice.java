package io.sparktts.core.voice;

import java.util.Arrays;
import java.util.Objects;

/**
 * A voice the LM designed from style labels: the labels, the tokens it generated before its global tokens (the
 * acoustic attribute tokens, kept as their token text, e.g. {@code "<|start_acoustic_token|>...<|end_acoustic_token|>"};
 * may be empty) and the global tokens. Reusing them as a forced continuation of the controllable prompt keeps the
 * timbre fixed across calls while the labels still steer pitch and speed.
 */
public record CreatedVoice(VoiceAttributes attributes, String acousticTokens, int[] globalTokens) implements VoiceProfile {
    public CreatedVoice {
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(acousticTokens, "acousticTokens");
        if (globalTokens.length == 0) {
            throw new IllegalArgumentException("a voice needs at least one global token");
        }
        globalTokens = VoiceProfile.checkCodes("global token", globalTokens, GLOBAL_CODES);
    }

    @Override
    public int[] globalTokens() {
        return globalTokens.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CreatedVoice v && attributes.equals(v.attributes) && acousticTokens.equals(v.acousticTokens)
                && Arrays.equals(globalTokens, v.globalTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attributes, acousticTokens, Arrays.hashCode(globalTokens));
    }

    @Override
    public String toString() {
        return "CreatedVoice[" + attributes + ", " + globalTokens.length + " global tokens]";
    }
}
