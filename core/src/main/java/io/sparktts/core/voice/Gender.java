package io.sparktts.core.voice;

import java.util.Arrays;
import java.util.Locale;

/** Speaker gender label of controllable TTS; {@link #id()} is the number in {@code <|gender_N|>}. */
public enum Gender {
    FEMALE(0),
    MALE(1);

    private final int id;

    Gender(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The label as upstream spells it: {@code female}, {@code male}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Gender parse(String label) {
        for (Gender g : values()) {
            if (g.label().equals(label)) {
                return g;
            }
        }
        throw new IllegalArgumentException("gender '" + label + "' is not one of "
                + Arrays.stream(values()).map(Gender::label).toList());
    }
}
