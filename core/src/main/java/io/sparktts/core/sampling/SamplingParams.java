package io.sparktts.core.sampling;

/**
 * The logits warpers of HF {@code generate(do_sample=True)}, applied in its order: temperature, then top-k, then
 * top-p. {@code temperature} 0 means greedy (argmax); {@code topK} 0 and {@code topP} 1 switch those filters off.
 */
public record SamplingParams(float temperature, int topK, float topP) {
    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + " must be 0 (greedy) or positive");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k " + topK + " must be 0 (off) or positive");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p " + topP + " must be in (0, 1]");
        }
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
