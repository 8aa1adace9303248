package io.sparktts.core.audio;

/**
 * Upstream's {@code BiCodecTokenizer.get_ref_clip}: the speaker reference is the first
 * {@code int(sampleRate * seconds) // hop * hop} samples, the audio tiled end to end first when it is shorter.
 */
public final class ReferenceClip {

    private ReferenceClip() {}

    /** Clip length in samples: the duration's samples rounded down to whole hops. */
    public static int length(int sampleRate, double seconds, int hop) {
        if (!(seconds > 0) || hop <= 0 || sampleRate <= 0) {
            throw new IllegalArgumentException("reference clip needs positive rate, duration and hop: "
                    + sampleRate + ", " + seconds + ", " + hop);
        }
        int samples = (int) (sampleRate * seconds) / hop * hop;
        if (samples <= 0) {
            throw new IllegalArgumentException("reference clip of " + seconds + " s at " + sampleRate + " Hz is shorter than one hop of " + hop);
        }
        return samples;
    }

    /** The first {@code length} samples of {@code wav} repeated end to end, as float32 (the model's input type). */
    public static float[] cut(double[] wav, int length) {
        if (wav.length == 0) {
            throw new IllegalArgumentException("cannot cut a reference clip from empty audio");
        }
        float[] clip = new float[length];
        for (int i = 0; i < length; i++) {
            clip[i] = (float) wav[i % wav.length];
        }
        return clip;
    }
}
