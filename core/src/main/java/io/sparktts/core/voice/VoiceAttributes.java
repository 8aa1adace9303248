package io.sparktts.core.voice;

import java.util.Objects;

/** The style labels of a created voice (upstream's controllable TTS: gender, pitch level, speed level). */
public record VoiceAttributes(Gender gender, Level pitch, Level speed) {
    public VoiceAttributes {
        Objects.requireNonNull(gender, "gender");
        Objects.requireNonNull(pitch, "pitch");
        Objects.requireNonNull(speed, "speed");
    }

    /** From upstream's labels, e.g. {@code ("female", "moderate", "high")}. */
    public static VoiceAttributes parse(String gender, String pitch, String speed) {
        return new VoiceAttributes(Gender.parse(gender), Level.parse(pitch), Level.parse(speed));
    }
}
