package io.sparktts.core.audio;

import java.util.Arrays;

/**
 * Upstream's {@code audio_volume_normalize(audio, coeff=0.2)}: lifts quiet audio to a 0.1 peak, then scales so the
 * mean of the 90th-99th percentile of the significant (> 0.01) magnitudes becomes 0.2 (gain clamped to 0.1..10),
 * and finally keeps the peak at most 1.
 */
public final class VolumeNormalizer {

    public static final double TARGET = 0.2;

    private VolumeNormalizer() {}

    /** A normalized copy of {@code audio} (non-empty). */
    public static double[] normalize(double[] audio) {
        if (audio.length == 0) {
            throw new IllegalArgumentException("cannot normalize the volume of empty audio");
        }
        double[] sorted = new double[audio.length];
        for (int i = 0; i < audio.length; i++) {
            sorted[i] = Math.abs(audio[i]);
        }
        Arrays.sort(sorted);
        double[] out = audio.clone();
        double peak = sorted[sorted.length - 1];
        if (peak < 0.1) {
            double scale = Math.max(peak, 1e-3);
            for (int i = 0; i < out.length; i++) {
                out[i] = out[i] / scale * 0.1;
            }
        }
        // the statistics below use the magnitudes from before the lift, as upstream does
        int first = 0;
        while (first < sorted.length && !(sorted[first] > 0.01)) {
            first++;
        }
        int significant = sorted.length - first;
        if (significant <= 10) {
            return out;
        }
        int from = first + (int) (0.9 * significant);
        int to = first + (int) (0.99 * significant);
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += sorted[i];
        }
        double volume = sum / (to - from);
        double gain = Math.min(10, Math.max(0.1, TARGET / volume));
        double max = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] *= gain;
            max = Math.max(max, Math.abs(out[i]));
        }
        if (max > 1) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= max;
            }
        }
        return out;
    }
}
