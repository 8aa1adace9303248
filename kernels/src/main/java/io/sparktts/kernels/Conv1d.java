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
    static final int ROWS = 5;
    /** Output samples per parallel work item. */
    private static final int TIME_CHUNK = 128;
    /**
     * Floats of one packed panel (tap chunk x time chunk): it stays in L2 across all row blocks. With few taps the
     * time chunk grows, so packing reads each input row in long sequential runs the prefetcher can follow.
     */
    private static final int PANEL_BUDGET = 40 * 1024;
    /** Taps (input channel x kernel position) per cache block: a row block's weights stay in L1. */
    private static final int TAP_CHUNK = 256;
    /** Weight floats of the row blocks sharing one packed panel: they stay in L2 across the time chunks. */
    private static final int WEIGHT_BUDGET = 48 * 1024;

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
    /** Taps of one output row: input channels x kernel positions, plus the bias tap when there is a bias. */
    private final int tapsPerGroup;
    /** Weight as {@code [group][rowBlock][tap][rowsInBlock]}, the bias as the last tap. */
    private final float[] packed;
    private final float[] bias;
    /** The FFT form, for the shapes where it needs fewer multiply-adds; null otherwise. */
    private final FftConv fft;

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
        // The bias is one more tap, over an input of ones, so no pass over the output adds it.
        tapsPerGroup = inPerGroup * k + (bias == null ? 0 : 1);
        packed = new float[spec.outChannels() * tapsPerGroup];
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
                    if (bias != null) packed[base + inPerGroup * k * rows + r] = bias[o];
                }
            }
        }
        this.bias = bias == null ? null : bias.clone();
        fft = FftConv.suits(spec) ? new FftConv(spec, weight, this.bias) : null;
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
        compute(x, length, out, false);
    }

    /** Adds the convolution to {@code out} instead of overwriting it (a residual connection without a pass). */
    public void forwardAccumulate(float[] x, int length, float[] out) {
        compute(x, length, out, true);
    }

    private void compute(float[] x, int length, float[] out, boolean accumulate) {
        int outLength = outputLength(length);
        if (length < 1 || outLength < 1) {
            throw new IllegalArgumentException("conv1d " + spec + ": input length " + length + " is too short");
        }
        if (x.length < (long) spec.inChannels() * length || out.length < (long) spec.outChannels() * outLength) {
            throw new IllegalArgumentException("conv1d " + spec + ": arrays too small for length " + length);
        }
        if (fft != null && outLength >= 4 * FftConv.N) {
            fft.forward(x, length, out, accumulate);
            return;
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
        int inputRowStride = stride * rowLength;
        int[] offsets = new int[inPerGroup * k];
        for (int ci = 0; ci < inPerGroup; ci++) {
            for (int kk = 0; kk < k; kk++) {
                int shift = kk * dilation;
                offsets[ci * k + kk] = ci * inputRowStride + (shift % stride) * rowLength + shift / stride;
            }
        }
        int blocks = spec.groups() * blocksPerGroup;
        int groupStride = inPerGroup * inputRowStride;
        float[] source = src;
        long macs = (long) spec.weightSize() * outLength;
        // Split time across threads when there is enough of it (each thread then streams all weights, which sit
        // in L3); otherwise split the output channels.
        int chunks = (outLength + TIME_CHUNK - 1) / TIME_CHUNK;
        if (macs < 1 << 18) {
            run(source, groupStride, offsets, out, outLength, 0, blocks, 0, outLength, accumulate);
        } else if (chunks >= 2 * Parallel.threads()) {
            Parallel.forRange(chunks, 1, (from, to) -> run(source, groupStride, offsets, out, outLength, 0, blocks,
                    from * TIME_CHUNK, Math.min(outLength, to * TIME_CHUNK), accumulate));
        } else {
            Parallel.forRange(blocks, 1, (from, to) -> run(source, groupStride, offsets, out, outLength, from, to, 0,
                    outLength, accumulate));
        }
    }

    /**
     * Row blocks {@code [b0, b1)} over output samples {@code [t0, t1)}, cache-blocked over taps and time. Each
     * (tap chunk, time chunk) of the input is first packed tile by tile ({@code [tile][tap][16 samples]}), so the
     * inner loop reads one sequential stream whatever the tap offsets, and every row block reuses the packed panel.
     * The first tap chunk sets the output (unless accumulating), later ones add to it.
     */
    private void run(float[] x, int groupStride, int[] offsets, float[] out, int outLength, int b0, int b1, int t0,
                     int t1, boolean accumulate) {
        int taps = tapsPerGroup;
        int tile = 2 * L;
        int timeChunk = Math.max(TIME_CHUNK, PANEL_BUDGET / Math.min(taps, TAP_CHUNK) / tile * tile);
        float[] panel = new float[Math.min(taps, TAP_CHUNK) * Math.min(timeChunk, (t1 - t0 + tile - 1) / tile * tile)];
        float[] partial = new float[ROWS * tile];
        for (int block = b0; block < b1; ) {
            int g = block / blocksPerGroup;
            int groupEnd = Math.min(b1, (g + 1) * blocksPerGroup);
            int xBase = g * groupStride;
            for (int j0 = 0; j0 < taps; j0 += TAP_CHUNK) {
                int j1 = Math.min(taps, j0 + TAP_CHUNK);
                boolean set = j0 == 0 && !accumulate;
                // Row blocks whose weights for this tap chunk stay in L2 while the time chunks pass.
                int blockChunk = Math.max(1, WEIGHT_BUDGET / (ROWS * (j1 - j0)));
                for (int bc = block; bc < groupEnd; bc += blockChunk) {
                    int bcEnd = Math.min(groupEnd, bc + blockChunk);
                    for (int tc = t0; tc < t1; tc += timeChunk) {
                        int tEnd = Math.min(t1, tc + timeChunk);
                        pack(x, xBase, offsets, j0, j1, tc, tEnd, panel);
                        multiplyPanel(panel, j1 - j0, j0, bc, bcEnd, out, outLength, tc, tEnd, partial, set);
                    }
                }
            }
            block = groupEnd;
        }
    }

    /** Sets ({@code set}) or adds one packed panel's product to the rows of blocks {@code [bc, bcEnd)}. */
    private void multiplyPanel(float[] panel, int n, int j0, int bc, int bcEnd, float[] out, int outLength, int tc,
                               int tEnd, float[] partial, boolean set) {
        int tile = 2 * L;
        for (int bb = bc; bb < bcEnd; bb++) {
            int g = bb / blocksPerGroup, b = bb % blocksPerGroup;
            int rows = rowsIn(b);
            int o0 = g * outPerGroup + b * ROWS;
            int w0 = blockOffset(g, b) + j0 * rows;
            for (int t = tc, pBase = 0; t < tEnd; t += tile, pBase += n * tile) {
                int valid = Math.min(tile, tEnd - t);
                if (valid < tile) {
                    java.util.Arrays.fill(partial, 0f);
                    if (rows == ROWS) {
                        rows5(panel, pBase, n, packed, w0, partial, 0, tile);
                    } else {
                        for (int r = 0; r < rows; r++) row1(panel, pBase, n, packed, w0 + r, rows, partial, r * tile);
                    }
                    for (int r = 0; r < rows; r++) {
                        int i = (o0 + r) * outLength + t;
                        for (int s = 0; s < valid; s++) out[i + s] = (set ? 0f : out[i + s]) + partial[r * tile + s];
                    }
                } else if (set) {
                    if (rows == ROWS) {
                        rows5Set(panel, pBase, n, packed, w0, out, o0 * outLength + t, outLength);
                    } else {
                        for (int r = 0; r < rows; r++) {
                            row1Set(panel, pBase, n, packed, w0 + r, rows, out, (o0 + r) * outLength + t);
                        }
                    }
                } else if (rows == ROWS) {
                    rows5(panel, pBase, n, packed, w0, out, o0 * outLength + t, outLength);
                } else {
                    for (int r = 0; r < rows; r++) {
                        row1(panel, pBase, n, packed, w0 + r, rows, out, (o0 + r) * outLength + t);
                    }
                }
            }
        }
    }

    /**
     * {@code panel[tile][j - j0][s] = x[xBase + offsets[j] + tc + tile*16 + s]}, zero beyond {@code tEnd}; taps past
     * the offsets (the bias tap) read ones.
     */
    private static void pack(float[] x, int xBase, int[] offsets, int j0, int j1, int tc, int tEnd, float[] panel) {
        int tile = 2 * L;
        int n = j1 - j0;
        int real = Math.min(j1, offsets.length);
        for (int t = tc, pBase = 0; t < tEnd; t += tile, pBase += n * tile) {
            int valid = Math.min(tile, tEnd - t);
            int base = xBase + t;
            int p = pBase;
            if (valid == tile) {
                for (int j = j0; j < real; j++, p += tile) {
                    int src = base + offsets[j];
                    FloatVector.fromArray(S, x, src).intoArray(panel, p);
                    FloatVector.fromArray(S, x, src + L).intoArray(panel, p + L);
                }
            } else {
                for (int j = j0; j < real; j++, p += tile) {
                    int src = base + offsets[j];
                    for (int s = 0; s < tile; s++) panel[p + s] = s < valid ? x[src + s] : 0f;
                }
            }
            for (int j = Math.max(j0, real); j < j1; j++, p += tile) java.util.Arrays.fill(panel, p, p + tile, 1f);
        }
    }

    private int rowsIn(int block) {
        return Math.min(ROWS, outPerGroup - block * ROWS);
    }

    private int blockOffset(int group, int block) {
        return (group * outPerGroup + block * ROWS) * tapsPerGroup;
    }

    /**
     * Adds to five rows of 16 samples ({@code dst[dstBase + r*dstStride + s]}) the product of a row block's
     * weights ({@code w[w0 + j*5 + r]}) with {@code n} packed taps ({@code panel[pBase + j*16 + s]}). 5 rows x 2
     * vectors of accumulators is the largest tile C2 keeps in the 16 AVX2 registers without spilling.
     */
    static void rows5(float[] panel, int pBase, int n, float[] w, int w0, float[] dst, int dstBase, int dstStride) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00;
        int end = pBase + n * 2 * L;
        for (int p = pBase, wi = w0; p < end; p += 2 * L, wi += ROWS) {
            FloatVector x0 = FloatVector.fromArray(S, panel, p);
            FloatVector x1 = FloatVector.fromArray(S, panel, p + L);
            FloatVector wv = FloatVector.broadcast(S, w[wi]);
            a00 = x0.fma(wv, a00);
            a01 = x1.fma(wv, a01);
            wv = FloatVector.broadcast(S, w[wi + 1]);
            a10 = x0.fma(wv, a10);
            a11 = x1.fma(wv, a11);
            wv = FloatVector.broadcast(S, w[wi + 2]);
            a20 = x0.fma(wv, a20);
            a21 = x1.fma(wv, a21);
            wv = FloatVector.broadcast(S, w[wi + 3]);
            a30 = x0.fma(wv, a30);
            a31 = x1.fma(wv, a31);
            wv = FloatVector.broadcast(S, w[wi + 4]);
            a40 = x0.fma(wv, a40);
            a41 = x1.fma(wv, a41);
        }
        int i = dstBase;
        a00.add(FloatVector.fromArray(S, dst, i)).intoArray(dst, i);
        a01.add(FloatVector.fromArray(S, dst, i + L)).intoArray(dst, i + L);
        i += dstStride;
        a10.add(FloatVector.fromArray(S, dst, i)).intoArray(dst, i);
        a11.add(FloatVector.fromArray(S, dst, i + L)).intoArray(dst, i + L);
        i += dstStride;
        a20.add(FloatVector.fromArray(S, dst, i)).intoArray(dst, i);
        a21.add(FloatVector.fromArray(S, dst, i + L)).intoArray(dst, i + L);
        i += dstStride;
        a30.add(FloatVector.fromArray(S, dst, i)).intoArray(dst, i);
        a31.add(FloatVector.fromArray(S, dst, i + L)).intoArray(dst, i + L);
        i += dstStride;
        a40.add(FloatVector.fromArray(S, dst, i)).intoArray(dst, i);
        a41.add(FloatVector.fromArray(S, dst, i + L)).intoArray(dst, i + L);
    }

    /** One row of 16 samples at {@code dst[dstBase..]}: weights at {@code w0 + j*stride}. */
    static void row1(float[] panel, int pBase, int n, float[] w, int w0, int stride, float[] dst, int dstBase) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0;
        int end = pBase + n * 2 * L;
        for (int p = pBase, wi = w0; p < end; p += 2 * L, wi += stride) {
            FloatVector wv = FloatVector.broadcast(S, w[wi]);
            a0 = FloatVector.fromArray(S, panel, p).fma(wv, a0);
            a1 = FloatVector.fromArray(S, panel, p + L).fma(wv, a1);
        }
        a0.add(FloatVector.fromArray(S, dst, dstBase)).intoArray(dst, dstBase);
        a1.add(FloatVector.fromArray(S, dst, dstBase + L)).intoArray(dst, dstBase + L);
    }

    /** {@link #rows5}, overwriting the destination instead of adding to it. */
    static void rows5Set(float[] panel, int pBase, int n, float[] w, int w0, float[] dst, int dstBase, int dstStride) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00;
        int end = pBase + n * 2 * L;
        for (int p = pBase, wi = w0; p < end; p += 2 * L, wi += ROWS) {
            FloatVector x0 = FloatVector.fromArray(S, panel, p);
            FloatVector x1 = FloatVector.fromArray(S, panel, p + L);
            FloatVector wv = FloatVector.broadcast(S, w[wi]);
            a00 = x0.fma(wv, a00);
            a01 = x1.fma(wv, a01);
            wv = FloatVector.broadcast(S, w[wi + 1]);
            a10 = x0.fma(wv, a10);
            a11 = x1.fma(wv, a11);
            wv = FloatVector.broadcast(S, w[wi + 2]);
            a20 = x0.fma(wv, a20);
            a21 = x1.fma(wv, a21);
            wv = FloatVector.broadcast(S, w[wi + 3]);
            a30 = x0.fma(wv, a30);
            a31 = x1.fma(wv, a31);
            wv = FloatVector.broadcast(S, w[wi + 4]);
            a40 = x0.fma(wv, a40);
            a41 = x1.fma(wv, a41);
        }
        int i = dstBase;
        a00.intoArray(dst, i);
        a01.intoArray(dst, i + L);
        i += dstStride;
        a10.intoArray(dst, i);
        a11.intoArray(dst, i + L);
        i += dstStride;
        a20.intoArray(dst, i);
        a21.intoArray(dst, i + L);
        i += dstStride;
        a30.intoArray(dst, i);
        a31.intoArray(dst, i + L);
        i += dstStride;
        a40.intoArray(dst, i);
        a41.intoArray(dst, i + L);
    }

    /** {@link #row1}, overwriting. */
    static void row1Set(float[] panel, int pBase, int n, float[] w, int w0, int stride, float[] dst, int dstBase) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0;
        int end = pBase + n * 2 * L;
        for (int p = pBase, wi = w0; p < end; p += 2 * L, wi += stride) {
            FloatVector wv = FloatVector.broadcast(S, w[wi]);
            a0 = FloatVector.fromArray(S, panel, p).fma(wv, a0);
            a1 = FloatVector.fromArray(S, panel, p + L).fma(wv, a1);
        }
        a0.intoArray(dst, dstBase);
        a1.intoArray(dst, dstBase + L);
    }
}
