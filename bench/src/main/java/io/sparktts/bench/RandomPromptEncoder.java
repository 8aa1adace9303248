package io.sparktts.bench;

import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/**
 * Writes what prompt encoding reads, full size with random weights, in the released checkpoint layout:
 * {@code BiCodec/} (the released config; feature encoder, quantizer, ECAPA-TDNN, Perceiver, FSQ and projection
 * tensors under their released names) and {@code wav2vec2-large-xlsr-53/} (xlsr-53 config: 1024 hidden, 24 layers,
 * 16 heads, 4096 FFN, 7 conv layers of 512, positional conv k=128 in 16 groups; a Wav2Vec2ForPreTraining-style
 * {@code wav2vec2.} prefix). Weights are scaled by 1/sqrt(fan-in) so activations keep unit size.
 * <p>usage: {@code bin/bench tool RandomPromptEncoder OUT_DIR} (about 1.4 GB; keep it outside the repository)
 */
public final class RandomPromptEncoder {

    static final String XLSR53_CONFIG = """
            {
              "architectures": ["Wav2Vec2ForPreTraining"], "model_type": "wav2vec2",
              "conv_bias": true, "conv_dim": [512, 512, 512, 512, 512, 512, 512],
              "conv_kernel": [10, 3, 3, 3, 3, 2, 2], "conv_stride": [5, 2, 2, 2, 2, 2, 2],
              "do_stable_layer_norm": true, "feat_extract_activation": "gelu", "feat_extract_norm": "layer",
              "hidden_act": "gelu", "hidden_size": 1024, "intermediate_size": 4096, "layer_norm_eps": 1e-05,
              "num_attention_heads": 16, "num_conv_pos_embedding_groups": 16, "num_conv_pos_embeddings": 128,
              "num_feat_extract_layers": 7, "num_hidden_layers": 24
            }
            """;

    private final SafetensorsWriter writer;
    private final SplittableRandom random = new SplittableRandom(20250306);

    private RandomPromptEncoder(String what) {
        writer = new SafetensorsWriter().metadata("format", "pt").metadata("generator", "RandomPromptEncoder " + what);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RandomPromptEncoder OUT_DIR");
            System.exit(2);
        }
        generate(Path.of(args[0]));
        System.err.println("wrote " + args[0]);
    }

    static void generate(Path root) throws IOException {
        Path bicodec = root.resolve("BiCodec"), w2v = root.resolve("wav2vec2-large-xlsr-53");
        Files.createDirectories(bicodec);
        Files.createDirectories(w2v);
        RandomPromptEncoder b = new RandomPromptEncoder("BiCodec encoder side");
        b.bicodecEncoderSide();
        b.write(bicodec.resolve("model.safetensors"));
        Files.writeString(bicodec.resolve("config.yaml"), RandomBiCodec.RELEASED_CONFIG);
        RandomPromptEncoder w = new RandomPromptEncoder("wav2vec2 xlsr-53");
        w.wav2vec2("wav2vec2.", 1024, 24, 4096, 512, new int[] {10, 3, 3, 3, 3, 2, 2}, 128, 16);
        w.write(w2v.resolve("model.safetensors"));
        Files.writeString(w2v.resolve("config.json"), XLSR53_CONFIG);
    }

    private void write(Path file) throws IOException {
        Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
        writer.write(partial);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private void bicodecEncoderSide() {
        vocos("encoder.encoder", 1024, 384, 2048, 12);
        for (int i = 0; i < 2; i++) vocos("encoder.downsample." + i + ".1", 384, 384, 2048, 2);
        linear("encoder.project", 384, 1024);
        gaussian("quantizer.codebook.weight", 1, 8192, 8);
        weightNormed("quantizer.in_project", 8, 1024);
        weightNormed("quantizer.out_project", 1024, 8);
        String e = "speaker_encoder.speaker_encoder.";
        conv(e + "layer1.conv", 512, 128, 5);
        batchNorm(e + "layer1.bn", 512);
        for (int l = 2; l <= 4; l++) {
            String p = e + "layer" + l + ".se_res2block.";
            conv(p + "0.conv", 512, 512, 1);
            batchNorm(p + "0.bn", 512);
            for (int i = 0; i < 7; i++) {
                conv(p + "1.convs." + i, 64, 64, 3);
                batchNorm(p + "1.bns." + i, 64);
            }
            conv(p + "2.conv", 512, 512, 1);
            batchNorm(p + "2.bn", 512);
            linear(p + "3.linear1", 512, 128);
            linear(p + "3.linear2", 128, 512);
        }
        conv(e + "conv", 1536, 1536, 1);
        conv(e + "pool.linear1", 128, 4608, 1);
        conv(e + "pool.linear2", 1536, 128, 1);
        batchNorm(e + "bn", 3072);
        linear(e + "linear", 3072, 1024);
        String p = "speaker_encoder.perceiver_sampler.";
        gaussian(p + "latents", 0.02, 32, 128);
        linear(p + "proj_context", 1536, 128);
        for (int i = 0; i < 2; i++) {
            gaussian(p + "layers." + i + ".0.to_q.weight", 1 / Math.sqrt(128), 512, 128);
            gaussian(p + "layers." + i + ".0.to_kv.weight", 1 / Math.sqrt(128), 1024, 128);
            gaussian(p + "layers." + i + ".0.to_out.weight", 1 / Math.sqrt(512), 128, 512);
            linear(p + "layers." + i + ".1.0", 128, 682);
            linear(p + "layers." + i + ".1.2", 341, 128);
        }
        constant(p + "norm.gamma", 1f, 128);
        linear("speaker_encoder.quantizer.project_in", 128, 6);
        linear("speaker_encoder.quantizer.project_out", 6, 128);
        linear("speaker_encoder.project", 128 * 32, 1024);
    }

    private void wav2vec2(String prefix, int hidden, int layers, int ff, int convDim, int[] kernels, int posKernel,
                          int groups) {
        int in = 1;
        for (int i = 0; i < kernels.length; i++) {
            String c = prefix + "feature_extractor.conv_layers." + i + ".";
            conv(c + "conv", convDim, in, kernels[i]);
            layerNorm(c + "layer_norm", convDim);
            in = convDim;
        }
        layerNorm(prefix + "feature_projection.layer_norm", convDim);
        linear(prefix + "feature_projection.projection", convDim, hidden);
        String pos = prefix + "encoder.pos_conv_embed.conv.";
        gaussian(pos + "weight_v", 1, hidden, hidden / groups, posKernel);
        constant(pos + "weight_g", (float) (1 / Math.sqrt(posKernel)), 1, 1, posKernel);
        gaussian(pos + "bias", 0.1, hidden);
        layerNorm(prefix + "encoder.layer_norm", hidden);
        for (int l = 0; l < layers; l++) {
            String p = prefix + "encoder.layers." + l + ".";
            for (String n : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) linear(p + "attention." + n, hidden, hidden);
            layerNorm(p + "layer_norm", hidden);
            linear(p + "feed_forward.intermediate_dense", hidden, ff);
            linear(p + "feed_forward.output_dense", ff, hidden);
            layerNorm(p + "final_layer_norm", hidden);
        }
    }

    private void vocos(String p, int in, int dim, int inter, int layers) {
        conv(p + ".embed", dim, in, 7);
        layerNorm(p + ".norm", dim);
        for (int i = 0; i < layers; i++) {
            String b = p + ".convnext." + i;
            conv(b + ".dwconv", dim, 1, 7);
            layerNorm(b + ".norm", dim);
            linear(b + ".pwconv1", dim, inter);
            linear(b + ".pwconv2", inter, dim);
            constant(b + ".gamma", 1f / layers, dim);
        }
        layerNorm(p + ".final_layer_norm", dim);
    }

    private void linear(String p, int in, int out) {
        gaussian(p + ".weight", 1 / Math.sqrt(in), out, in);
        gaussian(p + ".bias", 0.1, out);
    }

    private void conv(String p, int out, int in, int k) {
        gaussian(p + ".weight", 1 / Math.sqrt((double) in * k), out, in, k);
        gaussian(p + ".bias", 0.1, out);
    }

    private void weightNormed(String p, int out, int in) {
        gaussian(p + ".weight_v", 1, out, in, 1);
        constant(p + ".weight_g", 1f, out, 1, 1);
        gaussian(p + ".bias", 0.1, out);
    }

    private void layerNorm(String p, int dim) {
        constant(p + ".weight", 1f, dim);
        constant(p + ".bias", 0f, dim);
    }

    private void batchNorm(String p, int dim) {
        constant(p + ".weight", 1f, dim);
        constant(p + ".bias", 0f, dim);
        constant(p + ".running_mean", 0f, dim);
        constant(p + ".running_var", 1f, dim);
    }

    private void gaussian(String name, double std, long... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (random.nextGaussian() * std);
        writer.add(name, DType.F32, shape, v);
    }

    private void constant(String name, float value, long... shape) {
        float[] v = new float[count(shape)];
        java.util.Arrays.fill(v, value);
        writer.add(name, DType.F32, shape, v);
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }
}
