package io.sparktts.core.qwen2;

import io.sparktts.kernels.RmsNorm;
import io.sparktts.kernels.VectorMath;

/** One pre-norm decoder layer: {@code x += attn(norm1(x)); x += mlp(norm2(x))}. */
final class Qwen2DecoderLayer {
    private final float[] inputNorm;
    private final Qwen2Attention attention;
    private final float[] postAttentionNorm;
    private final Qwen2Mlp mlp;
    private final float eps;
    private final int hidden;

    Qwen2DecoderLayer(Qwen2Config config, float[] inputNorm, Qwen2Attention attention, float[] postAttentionNorm,
                      Qwen2Mlp mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
        this.eps = config.rmsNormEps();
        this.hidden = config.hiddenSize();
    }

    long weightBytes() {
        return attention.weightBytes() + mlp.weightBytes();
    }

    /** Updates the residual stream {@code ws.x} of {@code tokens} tokens at positions {@code start ..}. */
    void forward(Qwen2Session.Workspace ws, Qwen2Session.Cache cache, int layer, int start, int tokens) {
        for (int t = 0; t < tokens; t++) {
            RmsNorm.apply(ws.x, t * hidden, inputNorm, eps, ws.normed, t * hidden, hidden);
        }
        attention.forward(ws, cache, layer, start, tokens);
        VectorMath.add(ws.x, 0, ws.projected, 0, ws.x, 0, tokens * hidden);
        for (int t = 0; t < tokens; t++) {
            RmsNorm.apply(ws.x, t * hidden, postAttentionNorm, eps, ws.normed, t * hidden, hidden);
        }
        mlp.forward(ws, tokens);
        VectorMath.add(ws.x, 0, ws.projected, 0, ws.x, 0, tokens * hidden);
    }
}
