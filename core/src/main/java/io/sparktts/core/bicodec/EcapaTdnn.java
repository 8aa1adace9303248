package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Conv1d;
import io.sparktts.kernels.MatMul;
import io.sparktts.kernels.Softmax;
import io.sparktts.safetensors.CheckpointException;

/**
 * Upstream's {@code ECAPA_TDNN_GLOB_c512}: a conv-ReLU-BatchNorm layer (k=5), three SE-Res2 blocks (dilations 2,
 * 3, 4; 8 splits), a 1x1 conv with ReLU over their concatenation ({@link Output#latent}, what the Perceiver reads),
 * attentive statistics pooling with global context, BatchNorm and a linear layer ({@link Output#xVector}).
 * Channels-first {@code [channels][frames]}. The BatchNorms (eval, eps 1e-5) come after the ReLU, so they cannot
 * fold into the conv before; each is a per-channel scale and shift. The last one, before the linear layer, folds
 * into it exactly.
 */
public final class EcapaTdnn {

    static final int CHANNELS = 512;
    static final int LATENT = 3 * CHANNELS;
    private static final int SCALE = 8;
    private static final int SE_BOTTLENECK = 128;
    private static final int ATTENTION_BOTTLENECK = 128;
    private static final float BN_EPS = 1e-5f;

    /** {@code latent [1536][frames]} and the embedding {@code xVector [embedDim]}. */
    public record Output(float[] latent, int frames, float[] xVector) {}

    /** Conv, ReLU, then BatchNorm as {@code y = relu(x) * scale + shift}. */
    private record ConvReluBn(Conv1d conv, float[] scale, float[] shift) {
        static ConvReluBn load(Weights w, String conv, String bn, Conv1d.Spec spec) throws CheckpointException {
            int out = spec.outChannels();
            Conv1d c = new Conv1d(spec, w.floats(conv + ".weight", out, spec.inChannels(), spec.kernelSize()),
                    w.floats(conv + ".bias", out));
            float[][] ss = batchNorm(w.child(bn), out);
            return new ConvReluBn(c, ss[0], ss[1]);
        }

        float[] forward(float[] x, int frames) {
            float[] y = conv.forward(x, frames);
            int t = frames;
            for (int c = 0; c < scale.length; c++) {
                float s = scale[c], b = shift[c];
                for (int i = c * t; i < (c + 1) * t; i++) y[i] = Math.max(y[i], 0f) * s + b;
            }
            return y;
        }
    }

    private record SeRes2Block(ConvReluBn in, ConvReluBn[] splits, ConvReluBn out, float[] se1, float[] se1b,
                               float[] se2, float[] se2b) {
        static SeRes2Block load(Weights w, int dilation) throws CheckpointException {
            Conv1d.Spec pointwise = Conv1d.Spec.of(CHANNELS, CHANNELS, 1);
            int width = CHANNELS / SCALE;
            ConvReluBn[] splits = new ConvReluBn[SCALE - 1];
            Weights r = w.child("1");
            for (int i = 0; i < splits.length; i++) {
                splits[i] = ConvReluBn.load(r, "convs." + i, "bns." + i,
                        Conv1d.Spec.of(width, width, 3).dilation(dilation).padding(dilation));
            }
            Weights se = w.child("3");
            return new SeRes2Block(ConvReluBn.load(w, "0.conv", "0.bn", pointwise), splits,
                    ConvReluBn.load(w, "2.conv", "2.bn", pointwise),
                    se.floats("linear1.weight", SE_BOTTLENECK, CHANNELS), se.floats("linear1.bias", SE_BOTTLENECK),
                    se.floats("linear2.weight", CHANNELS, SE_BOTTLENECK), se.floats("linear2.bias", CHANNELS));
        }

        float[] forward(float[] x, int t) {
            float[] h = in.forward(x, t);
            int width = CHANNELS / SCALE;
            float[] res2 = new float[CHANNELS * t];
            float[] sp = new float[width * t];
            for (int i = 0; i < SCALE - 1; i++) {
                // split i >= 1 adds the previous split's output before its conv
                for (int j = 0; j < width * t; j++) sp[j] = (i == 0 ? 0f : sp[j]) + h[i * width * t + j];
                sp = splits[i].forward(sp, t);
                System.arraycopy(sp, 0, res2, i * width * t, width * t);
            }
            System.arraycopy(h, (SCALE - 1) * width * t, res2, (SCALE - 1) * width * t, width * t);
            float[] y = out.forward(res2, t);
            float[] mean = new float[CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                float s = 0f;
                for (int i = 0; i < t; i++) s += y[c * t + i];
                mean[c] = s / t;
            }
            float[] squeeze = new float[SE_BOTTLENECK];
            MatMul.linear(mean, 1, CHANNELS, se1, se1b, SE_BOTTLENECK, squeeze);
            Activations.relu(squeeze, 0, squeeze.length);
            float[] gate = new float[CHANNELS];
            MatMul.linear(squeeze, 1, SE_BOTTLENECK, se2, se2b, CHANNELS, gate);
            float[] result = new float[CHANNELS * t];
            for (int c = 0; c < CHANNELS; c++) {
                float g = (float) (1 / (1 + Math.exp(-gate[c])));
                for (int i = c * t; i < (c + 1) * t; i++) result[i] = x[i] + y[i] * g;
            }
            return result;
        }
    }

    private final ConvReluBn layer1;
    private final SeRes2Block[] blocks;
    private final Conv1d conv;
    private final Conv1d attention1;
    private final float[] attentionContextWeight;
    private final Conv1d attention2;
    private final float[] linearWeight, linearBias;
    private final int embedDim;

    private EcapaTdnn(ConvReluBn layer1, SeRes2Block[] blocks, Conv1d conv, Conv1d attention1,
                      float[] attentionContextWeight, Conv1d attention2, float[] linearWeight, float[] linearBias) {
        this.layer1 = layer1;
        this.blocks = blocks;
        this.conv = conv;
        this.attention1 = attention1;
        this.attentionContextWeight = attentionContextWeight;
        this.attention2 = attention2;
        this.linearWeight = linearWeight;
        this.linearBias = linearBias;
        this.embedDim = linearBias.length;
    }

    /** Reads the {@code speaker_encoder.speaker_encoder.*} tensors under {@code w}. */
    public static EcapaTdnn load(Weights w, int featDim, int embedDim) throws CheckpointException {
        ConvReluBn layer1 = ConvReluBn.load(w, "layer1.conv", "layer1.bn", Conv1d.Spec.of(featDim, CHANNELS, 5).padding(2));
        SeRes2Block[] blocks = new SeRes2Block[3];
        for (int i = 0; i < 3; i++) {
            blocks[i] = SeRes2Block.load(w.child("layer" + (i + 2) + ".se_res2block"), i + 2);
        }
        Conv1d conv = new Conv1d(Conv1d.Spec.of(LATENT, LATENT, 1), w.floats("conv.weight", LATENT, LATENT, 1),
                w.floats("conv.bias", LATENT));
        // attention input is cat(x, mean, std): the x part is a 1x1 conv, the constant parts one vector per utterance
        float[] a1 = w.floats("pool.linear1.weight", ATTENTION_BOTTLENECK, 3 * LATENT, 1);
        float[] a1x = new float[ATTENTION_BOTTLENECK * LATENT];
        float[] a1context = new float[ATTENTION_BOTTLENECK * 2 * LATENT];
        for (int j = 0; j < ATTENTION_BOTTLENECK; j++) {
            System.arraycopy(a1, j * 3 * LATENT, a1x, j * LATENT, LATENT);
            System.arraycopy(a1, j * 3 * LATENT + LATENT, a1context, j * 2 * LATENT, 2 * LATENT);
        }
        Conv1d attention1 = new Conv1d(Conv1d.Spec.of(LATENT, ATTENTION_BOTTLENECK, 1), a1x,
                w.floats("pool.linear1.bias", ATTENTION_BOTTLENECK));
        Conv1d attention2 = new Conv1d(Conv1d.Spec.of(ATTENTION_BOTTLENECK, LATENT, 1),
                w.floats("pool.linear2.weight", LATENT, ATTENTION_BOTTLENECK, 1), w.floats("pool.linear2.bias", LATENT));
        // BatchNorm(pooled) then linear: W (s p + t) + b = (W s) p + (W t + b)
        float[][] bn = batchNorm(w.child("bn"), 2 * LATENT);
        float[] lw = w.floats("linear.weight", embedDim, 2 * LATENT), lb = w.floats("linear.bias", embedDim);
        float[] foldedBias = new float[embedDim];
        for (int o = 0; o < embedDim; o++) {
            double b = lb[o];
            for (int i = 0; i < 2 * LATENT; i++) {
                b += (double) lw[o * 2 * LATENT + i] * bn[1][i];
                lw[o * 2 * LATENT + i] *= bn[0][i];
            }
            foldedBias[o] = (float) b;
        }
        return new EcapaTdnn(layer1, blocks, conv, attention1, a1context, attention2, lw, foldedBias);
    }

    public int embedDim() {
        return embedDim;
    }

    /** {@code mels [featDim][frames]} (channels-first, i.e. upstream's input after its permute). */
    public Output forward(float[] mels, int frames) {
        int t = frames;
        float[] out1 = layer1.forward(mels, t);
        float[] out2 = blocks[0].forward(out1, t);
        float[] out3 = blocks[1].forward(out2, t);
        float[] out4 = blocks[2].forward(out3, t);
        float[] cat = new float[LATENT * t];
        System.arraycopy(out2, 0, cat, 0, CHANNELS * t);
        System.arraycopy(out3, 0, cat, CHANNELS * t, CHANNELS * t);
        System.arraycopy(out4, 0, cat, 2 * CHANNELS * t, CHANNELS * t);
        float[] latent = conv.forward(cat, t);
        Activations.relu(latent, 0, latent.length);
        return new Output(latent, t, embed(latent, t));
    }

    /** Attentive statistics pooling with global context, then the folded BatchNorm + linear. */
    private float[] embed(float[] x, int t) {
        float[] context = new float[2 * LATENT];
        for (int c = 0; c < LATENT; c++) {
            double s = 0;
            for (int i = 0; i < t; i++) s += x[c * t + i];
            double mean = s / t, ss = 0;
            for (int i = 0; i < t; i++) ss += (x[c * t + i] - mean) * (x[c * t + i] - mean);
            context[c] = (float) mean;
            context[LATENT + c] = (float) Math.sqrt(ss / (t - 1) + 1e-7); // torch.var is unbiased
        }
        float[] constant = new float[ATTENTION_BOTTLENECK];
        MatMul.linear(context, 1, 2 * LATENT, attentionContextWeight, null, ATTENTION_BOTTLENECK, constant);
        float[] hidden = attention1.forward(x, t);
        for (int j = 0; j < ATTENTION_BOTTLENECK; j++) {
            for (int i = j * t; i < (j + 1) * t; i++) hidden[i] += constant[j];
        }
        Activations.tanh(hidden, 0, hidden.length);
        float[] alpha = attention2.forward(hidden, t);
        float[] pooled = new float[2 * LATENT];
        for (int c = 0; c < LATENT; c++) {
            Softmax.inPlace(alpha, c * t, t);
            float mean = 0f, square = 0f;
            for (int i = 0; i < t; i++) {
                float a = alpha[c * t + i], v = x[c * t + i];
                mean += a * v;
                square += a * v * v;
            }
            pooled[c] = mean;
            pooled[LATENT + c] = (float) Math.sqrt(Math.max(square - mean * mean, 1e-7f));
        }
        float[] xVector = new float[embedDim];
        MatMul.linear(pooled, 1, 2 * LATENT, linearWeight, linearBias, embedDim, xVector);
        return xVector;
    }

    /** Eval-mode BatchNorm as {@code {scale, shift}}: {@code (x - mean) / sqrt(var + eps) * weight + bias}. */
    static float[][] batchNorm(Weights w, int channels) throws CheckpointException {
        float[] weight = w.floats("weight", channels), bias = w.floats("bias", channels);
        float[] mean = w.floats("running_mean", channels), var = w.floats("running_var", channels);
        float[] scale = new float[channels], shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (weight[c] / Math.sqrt(var[c] + BN_EPS));
            shift[c] = bias[c] - mean[c] * scale[c];
        }
        return new float[][] {scale, shift};
    }
}
