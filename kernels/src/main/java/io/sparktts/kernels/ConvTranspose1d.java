package io.sparktts.kernels;

/**
 * A 1-D transposed convolution over channels-first signals, PyTorch's {@code ConvTranspose1d} with dilation 1:
 * weight layout {@code [inChannels][outChannels / groups][kernelSize]}, optional bias, stride, padding (cropped from
 * both ends), output padding (extra samples at the end) and groups.
 *
 * <p>It runs as {@code stride} ordinary convolutions, one per output phase: output sample {@code t} with
 * {@code (t + padding) mod stride = r} only meets the taps {@code j = r, r + stride, ...}, so each phase is a short
 * convolution over the input with those taps reversed ({@link Conv1d} does the work). Immutable, thread-safe.
 */
public final class ConvTranspose1d {

    /** Shape of the layer. */
    public record Spec(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                       int groups) {
        public Spec {
            if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0 || outputPadding < 0
                    || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0
                    || outputPadding >= stride) {
                throw new IllegalArgumentException("conv-transpose1d: bad shape " + describe(inChannels, outChannels,
                        kernelSize, stride, padding, outputPadding, groups));
            }
        }

        public static Spec of(int inChannels, int outChannels, int kernelSize, int stride) {
            return new Spec(inChannels, outChannels, kernelSize, stride, 0, 0, 1);
        }

        public Spec padding(int p) {
            return new Spec(inChannels, outChannels, kernelSize, stride, p, outputPadding, groups);
        }

        public Spec outputPadding(int p) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, p, groups);
        }

        public Spec groups(int g) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, outputPadding, g);
        }

        /** {@code (length - 1) * stride - 2 * padding + kernelSize + outputPadding}, as PyTorch. */
        public int outputLength(int length) {
            long n = (long) (length - 1) * stride - 2L * padding + kernelSize + outputPadding;
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
        }

        public int weightSize() {
            return inChannels * (outChannels / groups) * kernelSize;
        }

        @Override
        public String toString() {
            return describe(inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups);
        }

        private static String describe(int in, int out, int k, int s, int p, int op, int g) {
            return "in=" + in + " out=" + out + " k=" + k + " stride=" + s + " padding=" + p + " output_padding=" + op
                    + " groups=" + g;
        }
    }

    private final Spec spec;
    /** Per phase: the convolution over the input with that phase's taps, or null when the phase has no tap. */
    private final Conv1d[] phases;
    private final float[] bias;

    public ConvTranspose1d(Spec spec, float[] weight, float[] bias) {
        this.spec = spec;
        if (weight.length != spec.weightSize()) {
            throw new IllegalArgumentException("conv-transpose1d " + spec + ": weight has " + weight.length
                    + " elements, expected " + spec.weightSize());
        }
        if (bias != null && bias.length != spec.outChannels()) {
            throw new IllegalArgumentException("conv-transpose1d " + spec + ": bias has " + bias.length
                    + " elements, expected " + spec.outChannels());
        }
        int s = spec.stride(), k = spec.kernelSize(), g = spec.groups();
        int inPer = spec.inChannels() / g, outPer = spec.outChannels() / g;
        phases = new Conv1d[s];
        for (int r = 0; r < s && r < k; r++) {
            int taps = (k - r + s - 1) / s;
            float[] w = new float[spec.outChannels() * inPer * taps];
            for (int o = 0; o < spec.outChannels(); o++) {
                int group = o / outPer, oo = o % outPer;
                for (int ci = 0; ci < inPer; ci++) {
                    int c = group * inPer + ci;
                    for (int kk = 0; kk < taps; kk++) {
                        int j = r + (taps - 1 - kk) * s;
                        w[(o * inPer + ci) * taps + kk] = weight[(c * outPer + oo) * k + j];
                    }
                }
            }
            phases[r] = new Conv1d(new Conv1d.Spec(spec.inChannels(), spec.outChannels(), taps, 1, 1, g, 0, 0), w,
                    bias);
        }
        this.bias = bias == null ? null : bias.clone();
    }

    public Spec spec() {
        return spec;
    }

    public int outputLength(int length) {
        return spec.outputLength(length);
    }

    public float[] forward(float[] x, int length) {
        float[] out = new float[Math.multiplyExact(spec.outChannels(), outputLength(length))];
        forward(x, length, out);
        return out;
    }

    /** {@code out[o][t] = bias[o] + sum_{c,j: i*stride + j - padding = t} x[c][i] * w[c][o][j]}. */
    public void forward(float[] x, int length, float[] out) {
        int outLength = outputLength(length);
        if (length < 1 || outLength < 1) {
            throw new IllegalArgumentException("conv-transpose1d " + spec + ": input length " + length
                    + " is too short");
        }
        int in = spec.inChannels(), outC = spec.outChannels(), s = spec.stride(), p = spec.padding();
        if (x.length < (long) in * length || out.length < (long) outC * outLength) {
            throw new IllegalArgumentException("conv-transpose1d " + spec + ": arrays too small for length " + length);
        }
        for (int r = 0; r < s; r++) {
            // Outputs of this phase: t = q*s + r - p for q in [qLo, qHi].
            int qLo = Math.floorDiv(p - r + s - 1, s);
            int qHi = Math.floorDiv(outLength - 1 + p - r, s);
            int count = qHi - qLo + 1;
            if (count <= 0) {
                continue;
            }
            int t0 = qLo * s + r - p;
            Conv1d conv = phases[r];
            if (conv == null) {
                for (int o = 0; o < outC; o++) {
                    float b = bias == null ? 0f : bias[o];
                    for (int q = 0; q < count; q++) out[o * outLength + t0 + q * s] = b;
                }
                continue;
            }
            // Output q reads input q - m for tap m (m = taps-1-kk): a window of the input shifted by taps-1-qLo.
            int taps = conv.spec().kernelSize();
            int window = count + taps - 1;
            float[] shifted = new float[Math.multiplyExact(in, window)];
            int shift = qLo - (taps - 1);
            Parallel.forRange(in, 64, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int lo = Math.max(0, -shift), hi = Math.min(window, length - shift);
                    if (hi > lo) System.arraycopy(x, c * length + lo + shift, shifted, c * window + lo, hi - lo);
                }
            });
            float[] phaseOut = conv.forward(shifted, window);
            Parallel.forRange(outC, 64, (from, to) -> {
                for (int o = from; o < to; o++) {
                    int src = o * count, dst = o * outLength + t0;
                    for (int q = 0; q < count; q++) out[dst + q * s] = phaseOut[src + q];
                }
            });
        }
    }
}
