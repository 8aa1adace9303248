package io.sparktts.core.qwen2;

import io.sparktts.core.sampling.GenerationConfig;
import io.sparktts.core.sampling.LogitsRestriction;
import io.sparktts.core.sampling.Sampler;
import io.sparktts.kernels.RmsNorm;
import io.sparktts.kernels.Rope;
import io.sparktts.kernels.WeightMatrix;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * One generation over a {@link Qwen2Model}: its key/value cache (allocated once, {@code capacity} positions) and
 * work buffers. Tokens are appended with {@link #prefill} (a prompt, processed as matrix-matrix products in chunks)
 * and {@link #decode} (one token). Not thread-safe; run several sessions of one model concurrently instead.
 */
public final class Qwen2Session {
    /** Prompt tokens processed together: each weight matrix is read once per chunk. */
    static final int CHUNK = 128;

    /** Activations of up to {@link #CHUNK} tokens, row-major {@code [tokens, width]}. */
    static final class Workspace {
        final int capacity;
        final Rope rope;
        final float[] x, normed, q, k, v, attended, projected, gate, up, scores, cos, sin;
        final float[][] qkvOutputs, gateUpOutputs;

        Workspace(Qwen2Config c, int capacity) {
            this.capacity = capacity;
            this.rope = new Rope(c.headDim(), c.ropeTheta());
            int hidden = c.hiddenSize();
            x = new float[CHUNK * hidden];
            normed = new float[CHUNK * hidden];
            q = new float[CHUNK * hidden];
            k = new float[CHUNK * c.kvDim()];
            v = new float[CHUNK * c.kvDim()];
            attended = new float[CHUNK * hidden];
            projected = new float[CHUNK * hidden];
            gate = new float[CHUNK * c.intermediateSize()];
            up = new float[CHUNK * c.intermediateSize()];
            scores = new float[c.numHeads() * capacity];
            cos = new float[CHUNK * c.headDim() / 2];
            sin = new float[CHUNK * c.headDim() / 2];
            qkvOutputs = new float[][] {q, k, v};
            gateUpOutputs = new float[][] {gate, up};
        }
    }

    /** Keys (after RoPE) and values of every layer, {@code [position, kvHeads * headDim]}. */
    static final class Cache {
        final float[][] keys, values;

        Cache(Qwen2Config c, int capacity) {
            keys = new float[c.numLayers()][capacity * c.kvDim()];
            values = new float[c.numLayers()][capacity * c.kvDim()];
        }
    }

    private final Qwen2Model model;
    private final Qwen2Config config;
    private final int capacity;
    private final Workspace ws;
    private final Cache cache;
    private final int[] single = new int[1];
    private int position;

    Qwen2Session(Qwen2Model model, int capacity) {
        this.model = model;
        this.config = model.config();
        this.capacity = capacity;
        if ((long) capacity * config.kvDim() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("session capacity " + capacity + " is too large for one cache array");
        }
        this.ws = new Workspace(config, capacity);
        this.cache = new Cache(config, capacity);
    }

    public Qwen2Model model() {
        return model;
    }

    /** Tokens in the cache: the position the next token gets. */
    public int position() {
        return position;
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets every cached token (the buffers are kept). */
    public void reset() {
        position = 0;
    }

    /** Appends prompt tokens; writes the logits after the last one into {@code logits} ({@code vocab} floats). */
    public void prefill(int[] tokens, float[] logits) {
        prefill(tokens, null, logits);
    }

    /**
     * Appends prompt tokens; writes the logits after the last one for the rows of {@code restriction} only into
     * {@code logits} ({@code restriction.size()} floats; null restriction: the whole vocabulary).
     */
    public void prefill(int[] tokens, LogitsRestriction restriction, float[] logits) {
        append(tokens, tokens.length);
        logits((tokens.length - 1) % CHUNK, restriction, logits);
    }

    /** Appends prompt tokens and writes the full-vocabulary logits of every one: {@code out[t * vocab + v]}. */
    public void prefillAllLogits(int[] tokens, float[] out) {
        int vocab = config.vocabSize();
        if (out.length < (long) tokens.length * vocab) {
            throw new IllegalArgumentException("logits array of " + out.length + " floats is too small for "
                    + tokens.length + " x " + vocab);
        }
        checkTokens(tokens, tokens.length);
        float[] rowLogits = new float[vocab];
        for (int from = 0; from < tokens.length; from += CHUNK) {
            int n = Math.min(CHUNK, tokens.length - from);
            run(tokens, from, n);
            for (int t = 0; t < n; t++) {
                logits(t, null, rowLogits);
                System.arraycopy(rowLogits, 0, out, (from + t) * vocab, vocab);
            }
        }
    }

    /** Appends one token; writes the logits of the next into {@code logits} ({@code vocab} floats). */
    public void decode(int token, float[] logits) {
        decode(token, null, logits);
    }

    /** Appends one token; writes the next token's logits for the rows of {@code restriction} (null: all). */
    public void decode(int token, LogitsRestriction restriction, float[] logits) {
        single[0] = token;
        append(single, 1);
        logits(0, restriction, logits);
    }

    /**
     * Generates after {@code prompt} (appended to the cache) until an end-of-sequence token (included in the
     * result) or {@code maxNewTokens}; each token is also passed to {@code onToken} as soon as it is chosen.
     */
    public int[] generate(int[] prompt, GenerationConfig generation, IntConsumer onToken) {
        LogitsRestriction restriction = generation.restriction();
        if (restriction != null && restriction.largest() >= config.vocabSize()) {
            throw new IllegalArgumentException("restricted token " + restriction.largest() + " is outside the vocabulary of "
                    + config.vocabSize());
        }
        if ((long) position + prompt.length + generation.maxNewTokens() - 1 > capacity) {
            throw new IllegalArgumentException(position + " cached + " + prompt.length + " prompt + "
                    + generation.maxNewTokens() + " new tokens exceed the session capacity of " + capacity);
        }
        Sampler sampler = new Sampler(generation.sampling(), generation.seed());
        float[] logits = new float[restriction == null ? config.vocabSize() : restriction.size()];
        int[] generated = new int[generation.maxNewTokens()];
        prefill(prompt, restriction, logits);
        int count = 0;
        while (true) {
            int index = sampler.sample(logits, logits.length);
            int token = restriction == null ? index : restriction.tokenAt(index);
            generated[count++] = token;
            if (onToken != null) {
                onToken.accept(token);
            }
            if (generation.isEos(token) || count == generated.length) {
                return Arrays.copyOf(generated, count);
            }
            decode(token, restriction, logits);
        }
    }

    /** Runs {@code count} tokens through the model chunk by chunk; the last chunk's activations stay in {@code ws.x}. */
    private void append(int[] tokens, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("no tokens to append");
        }
        checkTokens(tokens, count);
        for (int from = 0; from < count; from += CHUNK) {
            run(tokens, from, Math.min(CHUNK, count - from));
        }
    }

    private void checkTokens(int[] tokens, int count) {
        if ((long) position + count > capacity) {
            throw new IllegalStateException("session is full: " + position + " cached + " + count + " new tokens exceed the capacity of " + capacity);
        }
        for (int i = 0; i < count; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at " + i + " is outside the vocabulary 0.."
                        + (config.vocabSize() - 1));
            }
        }
    }

    /** Embeds {@code n} tokens, runs every layer on them at positions {@code position ..} and advances. */
    private void run(int[] tokens, int from, int n) {
        int hidden = config.hiddenSize(), half = config.headDim() / 2;
        WeightMatrix embedding = model.embedding();
        for (int t = 0; t < n; t++) {
            embedding.row(tokens[from + t], ws.x, t * hidden);
            ws.rope.angles(position + t, ws.cos, ws.sin, t * half);
        }
        Qwen2DecoderLayer[] layers = model.layers();
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(ws, cache, l, position, n);
        }
        position += n;
    }

    /** Final norm of row {@code row} of the last chunk, then the head (all rows or the restricted ones). */
    private void logits(int row, LogitsRestriction restriction, float[] out) {
        int hidden = config.hiddenSize();
        RmsNorm.apply(ws.x, row * hidden, model.finalNorm(), config.rmsNormEps(), ws.normed, 0, hidden);
        if (restriction == null) {
            if (out.length < config.vocabSize()) {
                throw new IllegalArgumentException("logits array of " + out.length + " floats is smaller than the vocabulary " + config.vocabSize());
            }
            model.head().multiply(ws.normed, out);
        } else {
            model.head().multiplyRows(ws.normed, restriction.sharedIds(), out);
        }
    }
}
