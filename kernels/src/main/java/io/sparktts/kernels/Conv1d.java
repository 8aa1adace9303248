package io.sparktts.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 1-D convolution layer over channels-first signals: input {@code x[c][t]} is {@code float[inChannels * length]},
 * output {@code float[outChannels * outputLength(length)]}. The weight has PyTorch's layout
 * {@code [outChannels][inChannels / groups][kernelSize]}, the bias is optional. Supports stride, dilation, groups
 * (depthwise included) and separate zero padding on the left and right.
 *
 * <p>The weight is repacked at construction so the inner loop reads it contiguously; the layer is immutable and can
 * be used from several threads at once.
 */
public final class Conv1d {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels computed together: each input vector loaded serves this many rows. */
    private static final int ROWS = 4;
    /** Output samples per parallel work item. */
    private static final int TIME_CHUNK = 512;

    /** Shape of the layer; {@link #of} gives stride 1, dilation 1, one group, no padding. */
    public record Spec(int inChannels, int outChannels, int kernelSize, int stride, int dilation, int groups,
                       int padLeft, int padRight) {
        public Spec {
            if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || dilation < 1 || groups < 1
                    || padLeft < 0 || padRight < 0) {
                throw new IllegalArgumentException("conv1d: bad shape " + describe(inChannels, outChannels,
                        kernelSize, stride, dilation, groups, padLeft, padRight));
            }
            if (inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("conv1d: " + groups + " groups do not divide in=" + inChannels
                        + " out=" + outChannels);
            }
        }

        public static Spec of(int inChannels, int outChannels, int kernelSize) {
            return new Spec(inChannels, outChannels, kernelSize, 1, 1, 1, 0, 0);
        }

        public Spec stride(int s) {
            return new Spec(inChannels, outChannels, kernelSize, s, dilation, groups, padLeft, padRight);
        }

        public Spec dilation(int d) {
            return new Spec(inChannels, outChannels, kernelSize, stride, d, groups, padLeft, padRight);
        }

        public Spec groups(int g) {
            return new Spec(inChannels, outChannels, kernelSize, stride, dilation, g, padLeft, padRight);
        }

        /** The same zero padding on both sides. */
        public Spec padding(int both) {
            return padding(both, both);
        }

        public Spec padding(int left, int right) {
            return new Spec(inChannels, outChannels, kernelSize, stride, dilation, groups, left, right);
        }

        public int outputLength(int length) {
            return Conv1d.outputLength(length, kernelSize, stride, padLeft, padRight, dilation);
        }

        /** Weight elements: {@code outChannels * inChannels / groups * kernelSize}. */
        public int weightSize() {
            return outChannels * (inChannels / groups) * kernelSize;
        }

        @Override
        public String toString() {
            return describe(inChannels, outChannels, kernelSize, stride, dilation, groups, padLeft, padRight);
        }

        private static String describe(int in, int out, int k, int s, int d, int g, int pl, int pr) {
            return "in=" + in + " out=" + out + " k=" + k + " stride=" + s + " dilation=" + d + " groups=" + g
                    + " pad=" + pl + "/" + pr;
        }
    }

    private final Spec spec;
    private final int inPerGroup;
    private final int outPerGroup;
    private final int blocksPerGroup;
    /** Weight as {@code [group][rowBlock][inPerGroup][kernel][rowsInBlock]}. */
    private final float[] packed;
    private final float[] bias;

    public Conv1d(Spec spec, float[] weight, float[] bias) {
        this.spec = spec;
        if (weight.length != spec.weightSize()) {
            throw new IllegalArgumentException("conv1d " + spec + ": weight has " + weight.length
                    + " elements, expected " + spec.weightSize());
        }
        if (bias != null && bias.length != spec.outChannels()) {
            throw new IllegalArgumentException("conv1d " + spec + ": bias has " + bias.length + " elements, expected "
                    + spec.outChannels());
        }
        inPerGroup = spec.inChannels() / spec.groups();
        outPerGroup = spec.outChannels() / spec.groups();
        blocksPerGroup = (outPerGroup + ROWS - 1) / ROWS;
        int k = spec.kernelSize();
        packed = new float[weight.length];
        for (int g = 0; g < spec.groups(); g++) {
            for (int b = 0; b < blocksPerGroup; b++) {
                int rows = rowsIn(b);
                int base = blockOffset(g, b);
                for (int r = 0; r < rows; r++) {
                    int o = g * outPerGroup + b * ROWS + r;
                    for (int ci = 0; ci < inPerGroup; ci++) {
                        for (int kk = 0; kk < k; kk++) {
                            packed[base + (ci * k + kk) * rows + r] = weight[(o * inPerGroup + ci) * k + kk];
                        }
                    }
                }
            }
        }
        this.bias = bias == null ? null : bias.clone();
    }

    public Spec spec() {
        return spec;
    }

    /** Output length of a convolution, as PyTorch computes it; may be zero or negative for too short inputs. */
    public static int outputLength(int length, int kernelSize, int stride, int padLeft, int padRight, int dilation) {
        long span = (long) dilation * (kernelSize - 1) + 1;
        long padded = (long) length + padLeft + padRight;
        if (padded < span) {
            return 0;
        }
        return (int) ((padded - span) / stride + 1);
    }

    public int outputLength(int length) {
        return spec.outputLength(length);
    }

    /** Allocates the output and runs {@link #forward(float[], int, float[])}. */
    public float[] forward(float[] x, int length) {
        int outLength = outputLength(length);
        float[] out = new float[Math.multiplyExact(spec.outChannels(), Math.max(outLength, 0))];
        forward(x, length, out);
        return out;
    }

    /** {@code out[o][t] = bias[o] + sum_{c,k} w[o][c][k] * x[c][t*stride + k*dilation - padLeft]}. */
    public void forward(float[] x, int length, float[] out) {
        int outLength = outputLength(length);
        if (length < 1 || outLength < 1) {
            throw new IllegalArgumentException("conv1d " + spec + ": input length " + length + " is too short");
        }
        if (x.length < (long) spec.inChannels() * length || out.length < (long) spec.outChannels() * outLength) {
            throw new IllegalArgumentException("conv1d " + spec + ": arrays too small for length " + length);
        }
        int stride = spec.stride();
        int dilation = spec.dilation();
        int k = spec.kernelSize();
        // Phase-split, zero-padded copy of the input: tap kk reads phase (kk*dilation) % stride at offset
        // (kk*dilation) / stride, so every tap is a unit-stride read.
        float[] src;
        int rowLength;
        if (stride == 1 && spec.padLeft() == 0 && spec.padRight() == 0) {
            src = x;
            rowLength = length;
        } else {
            rowLength = outLength + (k - 1) * dilation / stride;
            src = new float[Math.multiplyExact(spec.inChannels() * stride, rowLength)];
            int padLeft = spec.padLeft();
            Parallel.forRange(spec.inChannels(), 64, (from, to) -> {
                for (int c = from; c < to; c++) {
                    for (int p = 0; p < stride; p++) {
                        int row = (c * stride + p) * rowLength;
                        for (int j = 0; j < rowLength; j++) {
                            int t = j * stride + p - padLeft;
                            if (t >= 0 && t < length) {
                                src[row + j] = x[c * length + t];
                            }
                        }
                    }
                }
            });
        }
        int[] tapOffset = new int[k];
        for (int kk = 0; kk < k; kk++) {
            int shift = kk * dilation;
            tapOffset[kk] = (shift % stride) * rowLength + shift / stride;
        }
        int chunks = (outLength + TIME_CHUNK - 1) / TIME_CHUNK;
        int items = spec.groups() * blocksPerGroup * chunks;
        long macs = (long) spec.weightSize() * outLength;
        int minItems = macs < 1 << 18 ? items : 1;
        int inputRowStride = stride * rowLength;
        float[] source = src;
        Parallel.forRange(items, minItems, (from, to) -> {
            for (int item = from; item < to; item++) {
                int chunk = item % chunks;
                int block = item / chunks;
                int g = block / blocksPerGroup;
                int b = block % blocksPerGroup;
                int t0 = chunk * TIME_CHUNK;
                int t1 = Math.min(outLength, t0 + TIME_CHUNK);
                int rows = rowsIn(b);
                int o0 = g * outPerGroup + b * ROWS;
                int in0 = g * inPerGroup * inputRowStride;
                int w0 = blockOffset(g, b);
                if (rows == ROWS) {
                    rows4(source, in0, inputRowStride, tapOffset, w0, out, o0, outLength, t0, t1);
                } else {
                    for (int r = 0; r < rows; r++) {
                        row1(source, in0, inputRowStride, tapOffset, w0, rows, r, out, o0 + r, outLength, t0, t1);
                    }
                }
            }
        });
    }

    private int rowsIn(int block) {
        return Math.min(ROWS, outPerGroup - block * ROWS);
    }

    private int blockOffset(int group, int block) {
        return (group * outPerGroup + block * ROWS) * inPerGroup * spec.kernelSize();
    }

    /** Four output rows over {@code [t0, t1)}: 4 rows x 2 vectors of accumulators. */
    private void rows4(float[] x, int in0, int inStride, int[] tapOffset, int w0, float[] out, int o0, int outLength,
                       int t0, int t1) {
        int k = tapOffset.length;
        float[] w = packed;
        int t = t0;
        for (; t + 2 * L <= t1; t += 2 * L) {
            FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00;
            FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            int wi = w0;
            for (int ci = 0; ci < inPerGroup; ci++) {
                int row = in0 + ci * inStride + t;
                for (int kk = 0; kk < k; kk++, wi += ROWS) {
                    int p = row + tapOffset[kk];
                    FloatVector x0 = FloatVector.fromArray(S, x, p);
                    FloatVector x1 = FloatVector.fromArray(S, x, p + L);
                    FloatVector w0v = FloatVector.broadcast(S, w[wi]);
                    a00 = x0.fma(w0v, a00);
                    a01 = x1.fma(w0v, a01);
                    FloatVector w1v = FloatVector.broadcast(S, w[wi + 1]);
                    a10 = x0.fma(w1v, a10);
                    a11 = x1.fma(w1v, a11);
                    FloatVector w2v = FloatVector.broadcast(S, w[wi + 2]);
                    a20 = x0.fma(w2v, a20);
                    a21 = x1.fma(w2v, a21);
                    FloatVector w3v = FloatVector.broadcast(S, w[wi + 3]);
                    a30 = x0.fma(w3v, a30);
                    a31 = x1.fma(w3v, a31);
                }
            }
            store(a00, a01, out, o0, outLength, t);
            store(a10, a11, out, o0 + 1, outLength, t);
            store(a20, a21, out, o0 + 2, outLength, t);
            store(a30, a31, out, o0 + 3, outLength, t);
        }
        for (int r = 0; r < ROWS; r++) {
            row1(x, in0, inStride, tapOffset, w0, ROWS, r, out, o0 + r, outLength, t, t1);
        }
    }

    private void store(FloatVector a0, FloatVector a1, float[] out, int o, int outLength, int t) {
        if (bias != null) {
            FloatVector b = FloatVector.broadcast(S, bias[o]);
            a0 = a0.add(b);
            a1 = a1.add(b);
        }
        a0.intoArray(out, o * outLength + t);
        a1.intoArray(out, o * outLength + t + L);
    }

    /** One output row {@code o} over {@code [t0, t1)}; its weights sit at {@code w0 + (ci*k + kk)*rows + r}. */
    private void row1(float[] x, int in0, int inStride, int[] tapOffset, int w0, int rows, int r, float[] out, int o,
                      int outLength, int t0, int t1) {
        int k = tapOffset.length;
        float[] w = packed;
        float b = bias == null ? 0f : bias[o];
        int t = t0;
        for (; t + 2 * L <= t1; t += 2 * L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0;
            int wi = w0 + r;
            for (int ci = 0; ci < inPerGroup; ci++) {
                int row = in0 + ci * inStride + t;
                for (int kk = 0; kk < k; kk++, wi += rows) {
                    int p = row + tapOffset[kk];
                    FloatVector wv = FloatVector.broadcast(S, w[wi]);
                    a0 = FloatVector.fromArray(S, x, p).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, x, p + L).fma(wv, a1);
                }
            }
            FloatVector bv = FloatVector.broadcast(S, b);
            a0.add(bv).intoArray(out, o * outLength + t);
            a1.add(bv).intoArray(out, o * outLength + t + L);
        }
        for (; t < t1; t++) {
            float s = 0f;
            int wi = w0 + r;
            for (int ci = 0; ci < inPerGroup; ci++) {
                int row = in0 + ci * inStride + t;
                for (int kk = 0; kk < k; kk++, wi += rows) {
                    s = Math.fma(x[row + tapOffset[kk]], w[wi], s);
                }
            }
            out[o * outLength + t] = s + b;
        }
    }
}
