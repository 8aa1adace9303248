package io.sparktts.core.wav2vec2;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Gemm;
import io.sparktts.safetensors.CheckpointException;

/**
 * {@code Wav2Vec2PositionalConvEmbedding}: grouped conv over time (kernel K, padding K/2) with weight norm over the
 * kernel axis ({@code weight_norm(dim=2)}: one norm per tap across all output and input channels), the last frame
 * dropped when K is even ({@code Wav2Vec2SamePadLayer}), then GELU. Each group is one {@link Gemm} product over a
 * zero-padded channels-last copy of its channels.
 */
final class PositionalConvEmbedding {

    private final int hidden;
    private final int kernel;
    private final int groups;
    private final int width;
    private final Gemm.Packed[] weights;
    private final float[][] bias;

    private PositionalConvEmbedding(int hidden, int kernel, int groups, Gemm.Packed[] weights, float[][] bias) {
        this.hidden = hidden;
        this.kernel = kernel;
        this.groups = groups;
        this.width = hidden / groups;
        this.weights = weights;
        this.bias = bias;
    }

    /** Reads {@code conv.weight_g}, {@code conv.weight_v} (or a folded {@code conv.weight}) and {@code conv.bias}. */
    static PositionalConvEmbedding load(Weights w, Wav2Vec2Config c) throws CheckpointException {
        int hidden = c.hiddenSize(), k = c.numConvPosEmbeddings(), groups = c.numConvPosEmbeddingGroups();
        int width = hidden / groups;
        float[] weight = w.weightNormed("conv.weight", 2, hidden, width, k);
        float[] allBias = w.floats("conv.bias", hidden);
        Gemm.Packed[] packed = new Gemm.Packed[groups];
        float[][] bias = new float[groups][];
        for (int g = 0; g < groups; g++) {
            // rows of group g's outputs as [o][k][c], matching A rows of k frames x width channels
            float[] rows = new float[width * k * width];
            for (int o = 0; o < width; o++) {
                for (int ci = 0; ci < width; ci++) {
                    for (int kk = 0; kk < k; kk++) {
                        rows[(o * k + kk) * width + ci] = weight[((g * width + o) * width + ci) * k + kk];
                    }
                }
            }
            packed[g] = Gemm.packRows(rows, 0, width, k * width, k * width);
            bias[g] = java.util.Arrays.copyOfRange(allBias, g * width, (g + 1) * width);
        }
        return new PositionalConvEmbedding(hidden, k, groups, packed, bias);
    }

    /** Adds the embedding of {@code x [frames][hidden]} to it in place. */
    void addTo(float[] x, int frames) {
        int pad = kernel / 2;
        int padded = frames + 2 * pad;
        float[] group = new float[padded * width];
        float[] out = new float[frames * width];
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < frames; t++) {
                System.arraycopy(x, t * hidden + g * width, group, (t + pad) * width, width);
            }
            // output frame t covers padded frames t..t+K-1; with an even K the conv makes frames+1 and the last goes
            Gemm.multiply(group, 0, width, frames, weights[g], bias[g], out, 0, width);
            Activations.gelu(out, 0, out.length);
            for (int t = 0; t < frames; t++) {
                int o = t * hidden + g * width;
                for (int j = 0; j < width; j++) x[o + j] += out[t * width + j];
            }
        }
    }
}
