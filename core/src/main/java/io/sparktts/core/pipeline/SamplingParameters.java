package io.sparktts.core.pipeline;

/**
 * How the LM picks each token, with upstream {@code SparkTTS.inference}'s defaults: temperature 0.8, top-k 50,
 * top-p 0.95, at most 3000 new tokens. Temperature 0 means greedy (argmax); top-k 0 and top-p 1 switch those
 * filters off, as in Hugging Face {@code generate}. The seed makes a synthesis reproducible.
 *
 * <p>{@code fullVocabulary} samples over all 166,000 LM outputs exactly as upstream does. Otherwise (the default)
 * the head scores only the tokens the {@link SpeechGrammar} allows next (the Spark audio tokens of the current
 * phase): the same distribution whenever the model's top-k candidates are all allowed, which the released model's
 * training format makes the normal case, at a fraction of the output-projection cost.
 */
public record SamplingParameters(double temperature, int topK, double topP, int maxNewTokens, long seed,
                                 boolean fullVocabulary) {
    public static final double DEFAULT_TEMPERATURE = 0.8;
    public static final int DEFAULT_TOP_K = 50;
    public static final double DEFAULT_TOP_P = 0.95;
    public static final int DEFAULT_MAX_NEW_TOKENS = 3000;

    public SamplingParameters {
        if (!(temperature >= 0 && temperature <= 100)) {
            throw new IllegalArgumentException("temperature " + temperature + " is outside 0..100");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k " + topK + " is negative");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p " + topP + " is outside (0, 1]");
        }
        if (maxNewTokens < 1 || maxNewTokens > 32768) {
            throw new IllegalArgumentException("max new tokens " + maxNewTokens + " is outside 1..32768");
        }
    }

    /** Upstream's defaults with the given seed. */
    public static SamplingParameters defaults(long seed) {
        return new SamplingParameters(DEFAULT_TEMPERATURE, DEFAULT_TOP_K, DEFAULT_TOP_P, DEFAULT_MAX_NEW_TOKENS, seed, false);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public SamplingParameters withSeed(long newSeed) {
        return new SamplingParameters(temperature, topK, topP, maxNewTokens, newSeed, fullVocabulary);
    }
}
