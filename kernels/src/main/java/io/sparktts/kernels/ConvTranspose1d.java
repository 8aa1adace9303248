package io.sparktts.kernels;

/**
 * A 1-D transposed convolution over channels-first signals, PyTorch's {@code ConvTranspose1d} with dilation 1:
 * weight layout {@code [inChannels][outChannels / groups][kernelSize]}, optional bias, stride, padding (cropped from
 * both ends), output padding (extra samples at the end) and groups.
 *
 * <p>Output sample {@code t = u*stride + r - padding} only meets the taps {@code j = r + m*stride}, reading input
 * {@code u - m}. So the layer is one ordinary convolution over the input whose rows are the (output channel, phase
 * r) pairs, over {@code ceil(k / stride)} taps; its column {@code u} holds the {@code stride} consecutive outputs
 * from {@code u*stride - padding}, which a last pass interleaves. Phases with one tap fewer (k not a multiple of the
 * stride) form a second such convolution rather than multiply by zeros. Immutable, thread-safe.
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
    /** Phases grouped by tap count: each group's phases and the convolution computing them. */
    private final int[][] groupPhases;
    private final Conv1d[] groupConvs;
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
        int most = (k + s - 1) / s;
        java.util.List<int[]> phaseGroups = new java.util.ArrayList<>();
        for (int taps = most; taps >= Math.max(1, most - 1); taps--) {
            int t = taps;
            int[] phases = java.util.stream.IntStream.range(0, s).filter(r -> (k - r + s - 1) / s == t).toArray();
            if (phases.length > 0) phaseGroups.add(phases);
        }
        groupPhases = phaseGroups.toArray(new int[0][]);
        this.bias = bias == null ? null : bias.clone();
        groupConvs = new Conv1d[groupPhases.length];
        for (int gi = 0; gi < groupPhases.length; gi++) {
            int[] phases = groupPhases[gi];
            int taps = (k - phases[0] + s - 1) / s;
            int rowsPerChannel = phases.length;
            float[] w = new float[spec.outChannels() * rowsPerChannel * inPer * taps];
            float[] b = bias == null ? null : new float[spec.outChannels() * rowsPerChannel];
            for (int o = 0; o < spec.outChannels(); o++) {
                int group = o / outPer, oo = o % outPer;
                for (int ri = 0; ri < rowsPerChannel; ri++) {
                    int row = o * rowsPerChannel + ri, r = phases[ri];
                    if (b != null) b[row] = bias[o];
                    for (int ci = 0; ci < inPer; ci++) {
                        int c = group * inPer + ci;
                        for (int kk = 0; kk < taps; kk++) {
                            int j = r + (taps - 1 - kk) * s;
                            w[(row * inPer + ci) * taps + kk] = weight[(c * outPer + oo) * k + j];
                        }
                    }
                }
            }
            groupConvs[gi] = new Conv1d(new Conv1d.Spec(spec.inChannels(), spec.outChannels() * rowsPerChannel, taps,
                    1, 1, g, 0, 0), w, b);
        }
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
        // Columns u cover outputs u*s - p .. u*s - p + s - 1; every output lies in some column of [uLo, uHi].
        int uLo = Math.floorDiv(p, s), uHi = Math.floorDiv(outLength - 1 + p, s);
        int columns = uHi - uLo + 1;
        if (spec.kernelSize() < s) {
            java.util.Arrays.fill(out, 0, outC * outLength, 0f);
        }
        for (int gi = 0; gi < groupConvs.length; gi++) {
            int[] phases = groupPhases[gi];
            Conv1d conv = groupConvs[gi];
            int taps = conv.spec().kernelSize();
            // Column c (u = uLo + c) at tap kk reads input u - (taps - 1 - kk): the input shifted by uLo - taps + 1.
            int window = columns + taps - 1;
            int shift = uLo - (taps - 1);
            float[] shifted = new float[Math.multiplyExact(in, window)];
            Parallel.forRange(in, 64, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int lo = Math.max(0, -shift), hi = Math.min(window, length - shift);
                    if (hi > lo) System.arraycopy(x, c * length + lo + shift, shifted, c * window + lo, hi - lo);
                }
            });
            float[] rows = conv.forward(shifted, window);
            int perChannel = phases.length;
            Parallel.forRange(outC, 16, (from, to) -> {
                for (int o = from; o < to; o++) {
                    for (int ri = 0; ri < perChannel; ri++) {
                        int r = phases[ri];
                        int src = (o * perChannel + ri) * columns, dst = o * outLength;
                        for (int c = 0; c < columns; c++) {
                            int t = (uLo + c) * s + r - p;
                            if (t >= 0 && t < outLength) out[dst + t] = rows[src + c];
                        }
                    }
                }
            });
        }
        if (spec.kernelSize() < s && bias != null) {
            // Phases without taps (kernel shorter than the stride) are just the bias.
            boolean[] covered = new boolean[s];
            for (int[] phases : groupPhases) for (int r : phases) covered[r] = true;
            for (int o = 0; o < outC; o++) {
                for (int t = 0; t < outLength; t++) {
                    if (!covered[Math.floorMod(t + p, s)]) out[o * outLength + t] = bias[o];
                }
            }
        }
    }
}
