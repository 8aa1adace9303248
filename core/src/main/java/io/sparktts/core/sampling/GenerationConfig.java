package io.sparktts.core.sampling;

import java.util.Arrays;

/**
 * One generation's settings: sampling, the seed that makes it reproducible, when to stop (an end-of-sequence
 * token, included in the output, or {@code maxNewTokens}) and an optional restriction of the tokens allowed.
 */
public record GenerationConfig(SamplingParams sampling, long seed, int maxNewTokens, int[] eosTokenIds,
                               LogitsRestriction restriction) {
    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens " + maxNewTokens + " must be at least 1");
        }
        eosTokenIds = eosTokenIds.clone();
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    public boolean isEos(int token) {
        for (int id : eosTokenIds) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "GenerationConfig[" + sampling + ", seed=" + seed + ", maxNewTokens=" + maxNewTokens + ", eos="
                + Arrays.toString(eosTokenIds) + ", restricted to " + (restriction == null ? "none" : restriction.size() + " tokens") + "]";
    }
}
