package io.sparktts.core.audio;

/**
 * One channel of audio as doubles in [-1, 1] (the scale {@code soundfile.read} gives), at {@code sampleRate} Hz.
 * Double precision like upstream's numpy pipeline, which only turns to float32 at the models.
 */
public record MonoAudio(double[] samples, int sampleRate) {

    public MonoAudio {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
