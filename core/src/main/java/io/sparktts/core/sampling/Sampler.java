package io.sparktts.core.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Draws the next token from logits the way HF {@code generate(do_sample=True)} does: divide by the temperature;
 * top-k keeps every logit at least as large as the k-th largest (ties survive); top-p sorts the survivors, drops
 * the least likely ones whose cumulative probability stays at or below {@code 1 - top_p} and keeps at least one;
 * then a draw from the softmax of what is left. Temperature 0 is greedy (the first largest logit). Equal
 * logits are ordered by token index (lower first), so results depend only on the logits and the seed.
 * The random numbers come from the L64X128MixRandom algorithm seeded with the given seed. Not thread-safe:
 * one sampler per generation.
 */
public final class Sampler {
    private final SamplingParams params;
    private final RandomGenerator random;
    private long[] order = new long[0];
    private double[] weights = new double[0];
    private float[] heap = new float[0];

    public Sampler(SamplingParams params, long seed) {
        this.params = params;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    public SamplingParams params() {
        return params;
    }

    /** The index in {@code logits[0 .. n)} of the drawn token. */
    public int sample(float[] logits, int n) {
        check(logits, n);
        if (params.isGreedy()) {
            return argmax(logits, n);
        }
        int kept = filter(logits, n);
        double u = random.nextDouble() * weights[kept - 1];
        for (int d = 0; d < kept - 1; d++) {
            if (u < weights[d]) {
                return index(order[d]);
            }
        }
        return index(order[kept - 1]);
    }

    /** The probability of drawing each of {@code logits[0 .. n)} into {@code out} (one 1 when greedy). */
    public void probabilities(float[] logits, int n, float[] out) {
        check(logits, n);
        Arrays.fill(out, 0, n, 0f);
        if (params.isGreedy()) {
            out[argmax(logits, n)] = 1;
            return;
        }
        int kept = filter(logits, n);
        double previous = 0;
        for (int d = 0; d < kept; d++) {
            out[index(order[d])] = (float) ((weights[d] - previous) / weights[kept - 1]);
            previous = weights[d];
        }
    }

    /**
     * Applies temperature, top-k and top-p; leaves the survivors in {@code order[0 .. kept)} by decreasing logit
     * and their cumulative unnormalised probabilities in {@code weights}; returns {@code kept}.
     */
    private int filter(float[] logits, int n) {
        if (order.length < n) {
            order = new long[n];
            weights = new double[n];
        }
        float temperature = params.temperature();
        float threshold = Float.NEGATIVE_INFINITY;
        if (params.topK() > 0 && params.topK() < n) {
            threshold = kthLargest(logits, n, params.topK(), temperature);
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            float s = logits[i] / temperature;
            if (s >= threshold && s != Float.NEGATIVE_INFINITY) {
                order[m++] = key(s, i);
            }
        }
        if (m == 0) {
            throw new IllegalStateException("every logit is -inf: nothing to sample");
        }
        Arrays.sort(order, 0, m);
        double max = score(order[0]);
        double total = 0;
        for (int d = 0; d < m; d++) {
            total += Math.exp(score(order[d]) - max);
            weights[d] = total;
        }
        int kept = m;
        if (params.topP() < 1) {
            // Position d survives when the probability of itself and everything less likely exceeds 1 - top_p.
            double limit = (1 - (double) params.topP()) * total;
            kept = 1;
            while (kept < m && total - weights[kept - 1] > limit) {
                kept++;
            }
        }
        return kept;
    }

    /** The k-th largest scaled logit, with a size-k min-heap. */
    private float kthLargest(float[] logits, int n, int k, float temperature) {
        if (heap.length < k) {
            heap = new float[k];
        }
        int size = 0;
        for (int i = 0; i < n; i++) {
            float s = logits[i] / temperature;
            if (size < k) {
                int c = size++;
                while (c > 0 && heap[(c - 1) / 2] > s) {
                    heap[c] = heap[(c - 1) / 2];
                    c = (c - 1) / 2;
                }
                heap[c] = s;
            } else if (s > heap[0]) {
                int c = 0;
                while (true) {
                    int l = 2 * c + 1;
                    if (l >= k) break;
                    int smaller = l + 1 < k && heap[l + 1] < heap[l] ? l + 1 : l;
                    if (heap[smaller] >= s) break;
                    heap[c] = heap[smaller];
                    c = smaller;
                }
                heap[c] = s;
            }
        }
        return heap[0];
    }

    /** A sort key ordering by decreasing score, then increasing index. */
    private static long key(float score, int index) {
        int bits = Float.floatToIntBits(score);
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ordered << 32) | index;
    }

    private static float score(long key) {
        int ordered = ~(int) (key >> 32);
        return Float.intBitsToFloat(ordered ^ ((ordered >> 31) & 0x7fffffff));
    }

    private static int index(long key) {
        return (int) key;
    }

    private static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void check(float[] logits, int n) {
        if (n < 1 || n > logits.length) {
            throw new IllegalArgumentException("sampling " + n + " of " + logits.length + " logits");
        }
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(logits[i]) || logits[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalStateException("logit " + i + " is " + logits[i] + ": the model produced no usable distribution");
            }
        }
    }
}
