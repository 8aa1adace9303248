package io.sparktts.core.wav2vec2;

/**
 * HF {@code Wav2Vec2FeatureExtractor} as Spark-TTS calls it (one clip, {@code do_normalize=True}, padding to
 * itself): the clip as float32, then zero mean and unit variance per utterance,
 * {@code (x - mean) / sqrt(var + 1e-7)} with the population variance.
 */
public final class Wav2Vec2FeatureExtractor {

    private Wav2Vec2FeatureExtractor() {}

    public static float[] inputValues(double[] wav) {
        float[] x = new float[wav.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) wav[i];
        return normalize(x);
    }

    public static float[] normalize(float[] x) {
        double sum = 0;
        for (float v : x) sum += v;
        double mean = sum / x.length;
        double ss = 0;
        for (float v : x) ss += (v - mean) * (v - mean);
        double inv = 1 / Math.sqrt(ss / x.length + 1e-7);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((x[i] - mean) * inv);
        return out;
    }
}
