package io.sparktts.core.audio;

import io.sparktts.core.SparkTtsException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Upstream's {@code load_audio(path, sampling_rate, volume_normalize)}: read the WAV file, keep its first channel,
 * resample to the model rate when it differs, then optionally normalize the volume.
 */
public final class AudioLoader {

    private AudioLoader() {}

    public static double[] load(Path file, int sampleRate, boolean volumeNormalize) throws IOException {
        return prepare(WavReader.read(file), sampleRate, volumeNormalize, file.toString());
    }

    /** The same steps for audio already in memory; {@code source} names it in error messages. */
    public static double[] prepare(MonoAudio audio, int sampleRate, boolean volumeNormalize, String source)
            throws SparkTtsException {
        double[] wav = audio.samples();
        if (audio.sampleRate() != sampleRate) {
            if (audio.sampleRate() < Resampler.MIN_RATE || audio.sampleRate() > Resampler.MAX_RATE) {
                throw new SparkTtsException(source + ": sample rate " + audio.sampleRate() + " Hz is outside the supported "
                        + Resampler.MIN_RATE + ".." + Resampler.MAX_RATE + " Hz");
            }
            wav = Resampler.resample(wav, audio.sampleRate(), sampleRate);
        }
        if (wav.length == 0) {
            throw new SparkTtsException(source + ": audio is too short (no samples at " + sampleRate + " Hz)");
        }
        return volumeNormalize ? VolumeNormalizer.normalize(wav) : wav;
    }
}
