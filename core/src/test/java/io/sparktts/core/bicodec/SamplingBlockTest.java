package io.sparktts.core.bicodec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparktts.core.weights.Weights;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SamplingBlock with scales above 1 (the released configs only use 1) against upstream's formula, scalar. */
class SamplingBlockTest {

    @TempDir
    Path tmp;

    static float leaky(float v) {
        return v < 0 ? 0.2f * v : v;
    }

    @Test
    void upsamplingMatchesScalarDefinition() throws Exception {
        for (int u : new int[] {2, 3}) {
            int dim = 3, frames = 7, k = 2 * u, pad = u / 2 + u % 2;
            Random r = new Random(u);
            float[] w = random(r, dim * k), b = random(r, dim), x = random(r, dim * frames);
            Path file = tmp.resolve("up" + u + ".safetensors");
            new SafetensorsWriter().add("s.de_conv_upsampler.1.weight", DType.F32, new long[] {dim, 1, k}, w)
                    .add("s.de_conv_upsampler.1.bias", DType.F32, new long[] {dim}, b).write(file);
            float[] got;
            try (TensorStore store = TensorStore.open(file)) {
                got = SamplingBlock.load(Weights.of(store).child("s"), dim, dim, u, 1).forward(x, frames);
            }
            int length = frames * u;
            assertEquals(dim * length, got.length);
            for (int c = 0; c < dim; c++) {
                for (int t = 0; t < length; t++) {
                    double deconv = b[c];
                    for (int i = 0; i < frames; i++) {
                        int j = t + pad - i * u;
                        if (j >= 0 && j < k) deconv += leaky(x[c * frames + i]) * w[c * k + j];
                    }
                    double repeat = x[c * frames + t / u];
                    double merged = repeat + deconv;
                    assertEquals(merged + repeat + merged, got[c * length + t], 1e-5, "u=" + u + " c=" + c + " t=" + t);
                }
            }
        }
    }

    @Test
    void downsamplingMatchesScalarDefinition() throws Exception {
        for (int d : new int[] {2, 3}) {
            int dim = 2, frames = 12, k = 2 * d, pad = d / 2 + d % 2;
            Random r = new Random(10 + d);
            float[] w = random(r, dim * k), b = random(r, dim), x = random(r, dim * frames);
            Path file = tmp.resolve("down" + d + ".safetensors");
            new SafetensorsWriter().add("conv_downsampler.1.weight", DType.F32, new long[] {dim, 1, k}, w)
                    .add("conv_downsampler.1.bias", DType.F32, new long[] {dim}, b).write(file);
            float[] got;
            try (TensorStore store = TensorStore.open(file)) {
                got = SamplingBlock.load(Weights.of(store), dim, dim, 1, d).forward(x, frames);
            }
            int length = frames / d;
            assertEquals(dim * length, got.length);
            for (int c = 0; c < dim; c++) {
                for (int t = 0; t < length; t++) {
                    double conv = b[c], pool = 0;
                    for (int j = 0; j < k; j++) {
                        int i = t * d + j - pad;
                        if (i >= 0 && i < frames) conv += leaky(x[c * frames + i]) * w[c * k + j];
                    }
                    for (int j = 0; j < d; j++) pool += x[c * frames + t * d + j];
                    assertEquals(conv + 2 * pool / d, got[c * length + t], 1e-5, "d=" + d + " c=" + c + " t=" + t);
                }
            }
        }
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
