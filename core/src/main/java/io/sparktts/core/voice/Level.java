package io.sparktts.core.voice;

import java.util.Arrays;
import java.util.Locale;

/** Pitch or speed level of controllable TTS; {@link #id()} is the number in {@code <|pitch_label_N|>}. */
public enum Level {
    VERY_LOW,
    LOW,
    MODERATE,
    HIGH,
    VERY_HIGH;

    public int id() {
        return ordinal();
    }

    /** The label as upstream spells it: {@code very_low} .. {@code very_high}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Level parse(String label) {
        for (Level l : values()) {
            if (l.label().equals(label)) {
                return l;
            }
        }
        throw new IllegalArgumentException("level '" + label + "' is not one of "
                + Arrays.stream(values()).map(Level::label).toList());
    }
}
