package io.sparktts.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /**
     * Scalar twin of HF's warper chain, written as the HF code reads: TemperatureLogitsWarper, TopKLogitsWarper
     * ({@code scores < topk(scores, k)[-1]} set to -inf), TopPLogitsWarper (ascending sort, softmax, cumsum, remove
     * {@code cum <= 1 - top_p} except the last), then softmax. Ties are sorted with the larger index first in the
     * ascending sort, the order the sampler documents.
     */
    static double[] hfDistribution(float[] logits, float temperature, int topK, float topP) {
        int n = logits.length;
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) scores[i] = temperature != 1f ? logits[i] / temperature : logits[i];
        if (topK > 0) {
            int k = Math.min(topK, n);
            float[] sorted = scores.clone();
            Arrays.sort(sorted);
            float kth = sorted[n - k];
            for (int i = 0; i < n; i++) if (scores[i] < kth) scores[i] = Float.NEGATIVE_INFINITY;
        }
        if (topP < 1f) {
            final float[] s = scores;
            Integer[] asc = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(asc, Comparator.<Integer>comparingDouble(i -> s[i]).thenComparing(Comparator.reverseOrder()));
            double max = s[asc[n - 1]], z = 0;
            for (int i = 0; i < n; i++) z += Math.exp(s[i] - max);
            double cum = 0;
            boolean[] remove = new boolean[n];
            for (int j = 0; j < n; j++) {
                cum += Math.exp(s[asc[j]] - max) / z;
                remove[asc[j]] = cum <= 1 - (double) topP && j < n - 1;
            }
            for (int i = 0; i < n; i++) if (remove[i]) scores[i] = Float.NEGATIVE_INFINITY;
        }
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (float v : scores) max = Math.max(max, v);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) z += (p[i] = Math.exp(scores[i] - max));
        for (int i = 0; i < n; i++) p[i] /= z;
        return p;
    }

    static float[] randomLogits(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    @Test
    void distributionMatchesTheHfWarperChain() {
        Random r = new Random(42);
        float[] temperatures = {1f, 0.8f, 1.7f};
        int[] topKs = {0, 1, 5, 50, 2000};
        float[] topPs = {1f, 0.95f, 0.5f, 0.05f};
        for (int n : new int[] {1, 7, 300, 3000}) {
            for (float t : temperatures) for (int k : topKs) for (float p : topPs) {
                float[] logits = randomLogits(r, n, 2);
                Sampler sampler = new Sampler(new SamplingParams(t, k, p), 1);
                float[] got = new float[n];
                sampler.probabilities(logits, n, got);
                double[] want = hfDistribution(logits, t, k, p);
                for (int i = 0; i < n; i++) {
                    assertEquals(want[i], got[i], 1e-6, "n=" + n + " T=" + t + " k=" + k + " p=" + p + " token " + i);
                    assertEquals(want[i] == 0, got[i] == 0, "kept set n=" + n + " T=" + t + " k=" + k + " p=" + p + " token " + i);
                }
            }
        }
    }

    @Test
    void topKKeepsTiesAndTopPKeepsTheMostLikelyOfEqualOnes() {
        float[] logits = {3, 2, 1, 1, 1};
        float[] p = new float[5];
        new Sampler(new SamplingParams(1, 3, 1), 0).probabilities(logits, 5, p);
        for (int i = 0; i < 5; i++) assertTrue(p[i] > 0, "the tied third largest survive: " + Arrays.toString(p));
        float[] equal = new float[8];
        new Sampler(new SamplingParams(1, 0, 0.25f), 0).probabilities(equal, 8, p = new float[8]);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0, 0, 0, 0, 0}, p, 1e-6f, "two of eight equal tokens, lowest ids first");
        assertArrayEquals(hfDistribution(equal, 1, 0, 0.25f), toDouble(p), 1e-6);
    }

    @Test
    void samplingDrawsFromTheDistributionAndASeedReproducesIt() {
        Random r = new Random(9);
        float[] logits = randomLogits(r, 40, 1.5);
        SamplingParams params = new SamplingParams(0.8f, 10, 0.9f);
        float[] p = new float[40];
        new Sampler(params, 0).probabilities(logits, 40, p);
        Sampler a = new Sampler(params, 123), b = new Sampler(params, 123);
        int draws = 200_000;
        int[] counts = new int[40];
        for (int i = 0; i < draws; i++) {
            int x = a.sample(logits, 40);
            assertEquals(x, b.sample(logits, 40), "same seed, same draw " + i);
            counts[x]++;
        }
        for (int i = 0; i < 40; i++) {
            double sd = Math.sqrt(draws * p[i] * (1 - p[i]));
            assertEquals(draws * p[i], counts[i], 5 * sd + 1e-9, "token " + i + " drawn " + counts[i] + " times for p=" + p[i]);
        }
        int[] other = new int[50];
        Sampler c = new Sampler(params, 124), d = new Sampler(params, 123);
        int same = 0;
        for (int i = 0; i < other.length; i++) if (c.sample(logits, 40) == d.sample(logits, 40)) same++;
        assertTrue(same < other.length, "another seed gives another sequence");
    }

    @Test
    void greedyIsTheFirstLargestLogit() {
        Sampler greedy = new Sampler(SamplingParams.greedy(), 5);
        assertEquals(2, greedy.sample(new float[] {1, 0, 4, 4, -1}, 5));
        assertEquals(1, greedy.sample(new float[] {1, 4, 9}, 2), "only the first n logits count");
    }

    @Test
    void filteredTokensAreNeverDrawn() {
        float[] logits = {0, 5, Float.NEGATIVE_INFINITY, 4.9f, -3};
        Sampler s = new Sampler(new SamplingParams(1, 2, 1), 77);
        for (int i = 0; i < 1000; i++) {
            int x = s.sample(logits, 5);
            assertTrue(x == 1 || x == 3, "drew " + x);
        }
    }

    @Test
    void badParametersAndLogitsAreRefused() {
        assertEquals("top_p 0.0 must be in (0, 1]",
                assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 0)).getMessage());
        assertEquals("temperature -1.0 must be 0 (greedy) or positive",
                assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1, 0, 1)).getMessage());
        assertEquals("top_k -2 must be 0 (off) or positive",
                assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, -2, 1)).getMessage());
        Sampler s = new Sampler(new SamplingParams(1, 0, 1), 0);
        assertEquals("logit 1 is NaN: the model produced no usable distribution",
                assertThrows(IllegalStateException.class, () -> s.sample(new float[] {0, Float.NaN}, 2)).getMessage());
        assertEquals("every logit is -inf: nothing to sample",
                assertThrows(IllegalStateException.class, () -> s.sample(new float[] {Float.NEGATIVE_INFINITY}, 1)).getMessage());
    }

    @Test
    void restrictionsAreSortedAndDistinct() {
        LogitsRestriction r = LogitsRestriction.range(10, 14, 3, 12);
        assertArrayEquals(new int[] {3, 10, 11, 12, 13}, r.ids());
        assertEquals(5, r.size());
        assertEquals(13, r.largest());
        assertTrue(r.contains(11));
        assertEquals("a logits restriction needs one or more non-negative token ids",
                assertThrows(IllegalArgumentException.class, () -> LogitsRestriction.of(-1, 2)).getMessage());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
