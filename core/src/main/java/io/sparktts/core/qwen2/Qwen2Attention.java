package io.sparktts.core.qwen2;

import io.sparktts.kernels.Parallel;
import io.sparktts.kernels.Softmax;
import io.sparktts.kernels.VectorMath;
import io.sparktts.kernels.WeightMatrix;

/**
 * Grouped-query self-attention of one decoder layer ({@code self_attn}): biased query/key/value projections,
 * rotary positions, causal softmax attention over the session's key/value cache, output projection without bias.
 * Query head {@code h} reads key/value head {@code h / (heads / kvHeads)}.
 */
final class Qwen2Attention {
    /** Attention multiply-adds per thread below which the heads stay on the caller's thread. */
    private static final int MIN_WORK_PER_THREAD = 1 << 14;

    private final Qwen2Config config;
    private final WeightMatrix[] qkv;
    private final float[] qBias, kBias, vBias;
    private final WeightMatrix output;

    Qwen2Attention(Qwen2Config config, WeightMatrix q, WeightMatrix k, WeightMatrix v, float[] qBias, float[] kBias,
                   float[] vBias, WeightMatrix output) {
        this.config = config;
        this.qkv = new WeightMatrix[] {q, k, v};
        this.qBias = qBias;
        this.kBias = kBias;
        this.vBias = vBias;
        this.output = output;
    }

    long weightBytes() {
        return qkv[0].byteSize() + qkv[1].byteSize() + qkv[2].byteSize() + output.byteSize();
    }

    /**
     * Attention for {@code tokens} rows of {@code ws.normed} at positions {@code start ..}: their keys and values
     * are appended to the cache of layer {@code layer}, then the result is written to {@code ws.projected}.
     */
    void forward(Qwen2Session.Workspace ws, Qwen2Session.Cache cache, int layer, int start, int tokens) {
        int hidden = config.hiddenSize(), kvDim = config.kvDim();
        if (tokens == 1) {
            WeightMatrix.multiply(ws.normed, qkv, ws.qkvOutputs);
        } else {
            qkv[0].multiply(ws.normed, tokens, ws.q);
            qkv[1].multiply(ws.normed, tokens, ws.k);
            qkv[2].multiply(ws.normed, tokens, ws.v);
        }
        float[] keys = cache.keys[layer], values = cache.values[layer];
        for (int t = 0; t < tokens; t++) {
            VectorMath.add(ws.q, t * hidden, qBias, 0, ws.q, t * hidden, hidden);
            VectorMath.add(ws.k, t * kvDim, kBias, 0, keys, (start + t) * kvDim, kvDim);
            VectorMath.add(ws.v, t * kvDim, vBias, 0, values, (start + t) * kvDim, kvDim);
            ws.rope.rotate(ws.q, t * hidden, config.numHeads(), ws.cos, ws.sin, t * ws.rope.headDim() / 2);
            ws.rope.rotate(keys, (start + t) * kvDim, config.numKvHeads(), ws.cos, ws.sin, t * ws.rope.headDim() / 2);
        }
        int heads = config.numHeads();
        long work = (long) tokens * (start + tokens) * config.headDim() * 2;
        int minHeads = (int) Math.max(1, Math.min(heads, MIN_WORK_PER_THREAD * (long) heads / Math.max(1, work)));
        Parallel.forRange(heads, minHeads, (from, to) -> {
            for (int h = from; h < to; h++) {
                attendHead(ws, keys, values, h, start, tokens);
            }
        });
        if (tokens == 1) {
            output.multiply(ws.attended, ws.projected);
        } else {
            output.multiply(ws.attended, tokens, ws.projected);
        }
    }

    /** Head {@code h} for each token: scaled scores against every earlier position, softmax, mix of values. */
    private void attendHead(Qwen2Session.Workspace ws, float[] keys, float[] values, int h, int start, int tokens) {
        int headDim = config.headDim(), hidden = config.hiddenSize(), kvDim = config.kvDim();
        int kvOffset = h / (config.numHeads() / config.numKvHeads()) * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] scores = ws.scores;
        int base = h * ws.capacity;
        for (int t = 0; t < tokens; t++) {
            int q = t * hidden + h * headDim;
            int length = start + t + 1;
            for (int p = 0; p < length; p++) {
                scores[base + p] = VectorMath.dot(ws.q, q, keys, p * kvDim + kvOffset, headDim) * scale;
            }
            Softmax.inPlace(scores, base, length);
            java.util.Arrays.fill(ws.attended, q, q + headDim, 0f);
            for (int p = 0; p < length; p++) {
                VectorMath.addScaled(ws.attended, q, scores[base + p], values, p * kvDim + kvOffset, headDim);
            }
        }
    }
}
