package io.sparktts.bench;

import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/**
 * Writes a full-size {@code BiCodec} folder with random weights: the released {@code config.yaml} values and the
 * released tensor names (weight-normed convs as {@code weight_g}/{@code weight_v}) of everything the decoder reads
 * (quantizer, speaker encoder FSQ and projection, prenet, WaveGenerator). Weights are scaled so activations keep
 * unit size (no overflow, no denormals), which is all a speed benchmark needs.
 * <p>usage: {@code bin/bench tool RandomBiCodec OUT_DIR}
 */
public final class RandomBiCodec {

    /** The released {@code SparkAudio/Spark-TTS-0.5B} {@code BiCodec/config.yaml} values. */
    static final String RELEASED_CONFIG = """
            audio_tokenizer:
              mel_params:
                sample_rate: 16000
                n_fft: 1024
                win_length: 640
                hop_length: 320
                mel_fmin: 10
                mel_fmax: null
                num_mels: 128
              encoder:
                input_channels: 1024
                vocos_dim: 384
                vocos_intermediate_dim: 2048
                vocos_num_layers: 12
                out_channels: 1024
                sample_ratios: [1, 1]
              decoder:
                input_channel: 1024
                channels: 1536
                rates: [8, 5, 4, 2]
                kernel_sizes: [16, 11, 8, 4]
              quantizer:
                input_dim: 1024
                codebook_size: 8192
                codebook_dim: 8
                commitment: 0.25
                codebook_loss_weight: 2.0
                use_l2_normlize: true
                threshold_ema_dead_code: 0.2
              speaker_encoder:
                input_dim: 128
                out_dim: 1024
                latent_dim: 128
                token_num: 32
                fsq_levels: [4, 4, 4, 4, 4, 4]
                fsq_num_quantizers: 1
              prenet:
                input_channels: 1024
                vocos_dim: 384
                vocos_intermediate_dim: 2048
                vocos_num_layers: 12
                out_channels: 1024
                condition_dim: 1024
                sample_ratios: [1, 1]
                use_tanh_at_final: false
              postnet:
                input_channels: 1024
                vocos_dim: 384
                vocos_intermediate_dim: 2048
                vocos_num_layers: 6
                out_channels: 1024
                use_tanh_at_final: false
            sample_rate: 16000
            highpass_cutoff_freq: 40
            latent_hop_length: 320
            ref_segment_duration: 6
            volume_normalize: true
            """;

    private final SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt")
            .metadata("generator", RandomBiCodec.class.getSimpleName());
    private final SplittableRandom random = new SplittableRandom(20250301);

    private RandomBiCodec() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RandomBiCodec OUT_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        generate(dir);
        System.err.println("wrote " + dir + " (model.safetensors: " + Files.size(dir.resolve("model.safetensors"))
                + " bytes)");
    }

    /** Writes {@code dir/config.yaml} and {@code dir/model.safetensors}. */
    static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        RandomBiCodec g = new RandomBiCodec();
        g.quantizer(1024, 8192, 8);
        g.speakerEncoderDecodeSide(128, 32, 6, 1024);
        g.featDecoder("prenet", 1024, 384, 2048, 12, 1024, 2, 1024);
        g.waveGenerator(1024, 1536, new int[] {8, 5, 4, 2}, new int[] {16, 11, 8, 4});
        Path partial = Files.createTempFile(dir, "model.safetensors", ".partial");
        g.writer.write(partial);
        Files.move(partial, dir.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("config.yaml"), RELEASED_CONFIG);
    }

    private void quantizer(int in, int size, int dim) {
        gaussian("quantizer.codebook.weight", 1, size, dim);
        weightNormedConv("quantizer.in_project", dim, in, 1);
        weightNormedConv("quantizer.out_project", in, dim, 1);
    }

    private void speakerEncoderDecodeSide(int latent, int tokens, int codeDim, int out) {
        linear("speaker_encoder.quantizer.project_in", latent, codeDim);
        linear("speaker_encoder.quantizer.project_out", codeDim, latent);
        linear("speaker_encoder.project", latent * tokens, out);
    }

    private void featDecoder(String p, int in, int dim, int inter, int layers, int out, int stages, Integer cond) {
        linear(p + ".linear_pre", in, dim);
        for (int i = 0; i < stages; i++) vocos(p + ".downsample." + i + ".1", dim, dim, inter, 2, null);
        vocos(p + ".vocos_backbone", dim, dim, inter, layers, cond);
        linear(p + ".linear", dim, out);
    }

    private void vocos(String p, int in, int dim, int inter, int layers, Integer cond) {
        gaussian(p + ".embed.weight", 1 / Math.sqrt(in * 7.0), dim, in, 7);
        zeros(p + ".embed.bias", dim);
        norm(p + ".norm", dim, cond);
        for (int i = 0; i < layers; i++) {
            String b = p + ".convnext." + i;
            gaussian(b + ".dwconv.weight", 1 / Math.sqrt(7.0), dim, 1, 7);
            zeros(b + ".dwconv.bias", dim);
            norm(b + ".norm", dim, cond);
            linear(b + ".pwconv1", dim, inter);
            linear(b + ".pwconv2", inter, dim);
            constant(b + ".gamma", 1f / layers, dim);
        }
        constant(p + ".final_layer_norm.weight", 1f, dim);
        zeros(p + ".final_layer_norm.bias", dim);
    }

    private void norm(String p, int dim, Integer cond) {
        if (cond == null) {
            constant(p + ".weight", 1f, dim);
            zeros(p + ".bias", dim);
        } else {
            linear(p + ".scale", cond, dim);
            linear(p + ".shift", cond, dim);
        }
    }

    private void waveGenerator(int in, int ch, int[] rates, int[] kernels) {
        String p = "decoder.model.";
        weightNormedConv(p + "0", ch, in, 7);
        for (int i = 0; i < rates.length; i++) {
            String b = p + (i + 1) + ".block.";
            int inDim = ch >> i, outDim = ch >> (i + 1);
            constant(b + "0.alpha", 1f, 1, inDim, 1);
            // Transposed conv: v is [in][out][k], g one per input channel.
            gaussian(b + "1.weight_v", 1, inDim, outDim, kernels[i]);
            constant(b + "1.weight_g", (float) Math.sqrt((double) rates[i] * outDim / inDim), inDim, 1, 1);
            zeros(b + "1.bias", outDim);
            for (int u = 0; u < 3; u++) {
                String r = b + (u + 2) + ".block.";
                constant(r + "0.alpha", 1f, 1, outDim, 1);
                weightNormedConv(r + "1", outDim, outDim, 7);
                constant(r + "2.alpha", 1f, 1, outDim, 1);
                weightNormedConv(r + "3", outDim, outDim, 1);
            }
        }
        int last = ch >> rates.length;
        constant(p + (rates.length + 1) + ".alpha", 1f, 1, last, 1);
        weightNormedConv(p + (rates.length + 2), 1, last, 7);
    }

    /** A weight-normed conv with unit-norm rows ({@code g = 1}): output variance about the input's. */
    private void weightNormedConv(String p, int out, int in, int k) {
        gaussian(p + ".weight_v", 1, out, in, k);
        constant(p + ".weight_g", 1f, out, 1, 1);
        zeros(p + ".bias", out);
    }

    private void linear(String p, int in, int out) {
        gaussian(p + ".weight", 1 / Math.sqrt(in), out, in);
        zeros(p + ".bias", out);
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

    private void zeros(String name, long... shape) {
        constant(name, 0f, shape);
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }
}
