package io.sparktts.core.wav2vec2;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Gemm;
import io.sparktts.kernels.LayerNorm;
import io.sparktts.safetensors.CheckpointException;

/**
 * {@code Wav2Vec2FeatureEncoder} with LayerNorm conv layers: per layer a strided conv (no padding), LayerNorm over
 * channels (eps 1e-5), exact GELU. Runs channels-last ({@code [frames][channels]}), where the frames a kernel
 * covers are contiguous, so each layer is one {@link Gemm} product whose rows overlap at the stride.
 */
final class ConvFeatureEncoder {

    private static final float EPS = 1e-5f;

    private final int[] channels;
    private final int[] kernel;
    private final int[] stride;
    private final Gemm.Packed[] weights;
    private final float[][] bias;
    private final float[][] normWeight;
    private final float[][] normBias;

    private ConvFeatureEncoder(Wav2Vec2Config c, Gemm.Packed[] weights, float[][] bias, float[][] nw, float[][] nb) {
        channels = c.convDim();
        kernel = c.convKernel();
        stride = c.convStride();
        this.weights = weights;
        this.bias = bias;
        normWeight = nw;
        normBias = nb;
    }

    /** Reads {@code conv_layers.N.conv.*} and {@code conv_layers.N.layer_norm.*} under {@code w}. */
    static ConvFeatureEncoder load(Weights w, Wav2Vec2Config c) throws CheckpointException {
        int layers = c.convDim().length;
        Gemm.Packed[] packed = new Gemm.Packed[layers];
        float[][] bias = new float[layers][], nw = new float[layers][], nb = new float[layers][];
        int in = 1;
        for (int i = 0; i < layers; i++) {
            Weights l = w.child("conv_layers." + i);
            int out = c.convDim()[i], k = c.convKernel()[i];
            float[] weight = l.floats("conv.weight", out, in, k);
            // [out][in][k] -> [out][k][in]: a row of A is k consecutive frames of `in` channels
            float[] reordered = new float[weight.length];
            for (int o = 0; o < out; o++) {
                for (int ci = 0; ci < in; ci++) {
                    for (int kk = 0; kk < k; kk++) {
                        reordered[(o * k + kk) * in + ci] = weight[(o * in + ci) * k + kk];
                    }
                }
            }
            packed[i] = Gemm.packRows(reordered, 0, out, k * in, k * in);
            bias[i] = c.convBias() ? l.floats("conv.bias", out) : null;
            nw[i] = l.floats("layer_norm.weight", out);
            nb[i] = l.floats("layer_norm.bias", out);
            in = out;
        }
        return new ConvFeatureEncoder(c, packed, bias, nw, nb);
    }

    int outChannels() {
        return channels[channels.length - 1];
    }

    /** {@code samples} input values to {@code [frames][outChannels]}; {@code frames} must be positive. */
    float[] forward(float[] x, int frames) {
        float[] h = x;
        int length = x.length, in = 1;
        for (int i = 0; i < channels.length; i++) {
            int out = channels[i];
            int t = (length - kernel[i]) / stride[i] + 1;
            float[] y = new float[t * out];
            Gemm.multiply(h, 0, stride[i] * in, t, weights[i], bias[i], y, 0, out);
            LayerNorm.rows(y, t, out, normWeight[i], normBias[i], EPS, y);
            Activations.gelu(y, 0, y.length);
            h = y;
            length = t;
            in = out;
        }
        if (length != frames) {
            throw new IllegalStateException("conv encoder made " + length + " frames, expected " + frames);
        }
        return h;
    }
}
