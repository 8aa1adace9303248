package io.sparktts.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FFT (overlap-save) form of a dense stride-1 convolution with many channels, which {@link Conv1d} uses when
 * it pays: about 1.8 multiply-adds per output sample and channel pair instead of {@code kernelSize} (7 for the
 * WaveGenerator), at float-FFT accuracy.
 *
 * <p>A dilation {@code d} splits the output into {@code d} phases, each an undilated convolution of the input's
 * phase. Each phase is cut into blocks of {@code V = N - (k - 1)} outputs; a block's {@code N = 32} input samples
 * are transformed (a 16-point complex FFT of the packed real signal, eight blocks at a time in the vector lanes),
 * multiplied channel-by-channel with the precomputed kernel spectra as one real GEMM per bin component (Gauss'
 * three-multiplication complex product: 15 complex bins x 3 + 2 real bins = 47 GEMMs), transformed back, and its
 * last {@code V} samples kept.
 */
final class FftConv {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int N = 32;
    private static final int M = N / 2;
    /** Real GEMMs per block: bins 0 and M are real (one each), bins 1..M-1 take three. */
    private static final int MATRICES = 2 + 3 * (M - 1);
    /** Blocks (GEMM columns) per tile of the packed spectra: the width of {@link Conv1d#rows5}. */
    private static final int TILE = 2 * L;
    /** Tiles of blocks transformed and multiplied together (bounds the spectra buffers). */
    private static final int CHUNK_TILES = 16;
    /** Input channels per GEMM pass: a pass's spectra panel (channels x 256 columns) stays in L2. */
    private static final int GEMM_CHANNELS = 128;

    private static final float[] COS = new float[M / 2];
    private static final float[] SIN = new float[M / 2];
    /** Twiddles exp(-2 pi i k / N) of the real-signal split, k = 0..M-1. */
    private static final float[] SPLIT_COS = new float[M];
    private static final float[] SPLIT_SIN = new float[M];
    private static final int[] BIT_REVERSE = new int[M];

    static {
        for (int k = 0; k < M / 2; k++) {
            COS[k] = (float) Math.cos(2 * Math.PI * k / M);
            SIN[k] = (float) -Math.sin(2 * Math.PI * k / M);
        }
        for (int k = 0; k < M; k++) {
            SPLIT_COS[k] = (float) Math.cos(2 * Math.PI * k / N);
            SPLIT_SIN[k] = (float) -Math.sin(2 * Math.PI * k / N);
            BIT_REVERSE[k] = Integer.reverse(k) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(M));
        }
    }

    private final Conv1d.Spec spec;
    private final int in, out, k, valid;
    /** Per matrix: the kernel spectra component in {@link Conv1d}'s row-block packing ([block][in][rows]). */
    private final float[][] matrices;
    private final float[] bias;

    /** Dense (one group), stride 1, a kernel that leaves at least half a block valid, and enough channels. */
    static boolean suits(Conv1d.Spec s) {
        return s.groups() == 1 && s.stride() == 1 && s.kernelSize() >= 5 && s.kernelSize() <= N / 2
                && s.inChannels() >= 32 && s.outChannels() >= 32;
    }

    FftConv(Conv1d.Spec spec, float[] weight, float[] bias) {
        this.spec = spec;
        in = spec.inChannels();
        out = spec.outChannels();
        k = spec.kernelSize();
        valid = N - (k - 1);
        this.bias = bias;
        matrices = new float[MATRICES][in * out];
        // Spectra of the reversed kernel (correlation as convolution), scaled by 1/N for the unnormalised inverse.
        double[] cos = new double[N], sin = new double[N];
        for (int i = 0; i < N; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / N) / N;
            sin[i] = -Math.sin(2 * Math.PI * i / N) / N;
        }
        Parallel.forRange(out, 8, (from, to) -> {
            double[] re = new double[M + 1], im = new double[M + 1];
            for (int o = from; o < to; o++) {
                int block = o / Conv1d.ROWS, r = o % Conv1d.ROWS;
                int rows = Math.min(Conv1d.ROWS, out - block * Conv1d.ROWS);
                int base = block * Conv1d.ROWS * in;
                for (int c = 0; c < in; c++) {
                    int w0 = (o * in + c) * k;
                    for (int f = 0; f <= M; f++) {
                        double sr = 0, si = 0;
                        for (int j = 0; j < k; j++) {
                            double w = weight[w0 + k - 1 - j];
                            int angle = (f * j) % N;
                            sr += w * cos[angle];
                            si += w * sin[angle];
                        }
                        re[f] = sr;
                        im[f] = si;
                    }
                    int at = base + c * rows + r;
                    matrices[0][at] = (float) re[0];
                    matrices[1][at] = (float) re[M];
                    for (int f = 1; f < M; f++) {
                        int m = 2 + 3 * (f - 1);
                        matrices[m][at] = (float) re[f];                    // times (a + b)
                        matrices[m + 1][at] = (float) -(re[f] + im[f]);     // times b, into the real part
                        matrices[m + 2][at] = (float) (im[f] - re[f]);      // times a, into the imaginary part
                    }
                }
            }
        });
    }

    /** Writes (or with {@code accumulate} adds) the convolution of {@code x} into {@code result}. */
    void forward(float[] x, int length, float[] result, boolean accumulate) {
        int d = spec.dilation();
        int outLength = spec.outputLength(length);
        // Blocks, phase by phase: block b covers outputs t = (start + i) * d + phase, i < valid.
        int blocks = 0;
        for (int p = 0; p < d && p < outLength; p++) blocks += ceilDiv(ceilDiv(outLength - p, d), valid);
        int[] phase = new int[blocks], first = new int[blocks];
        int count = 0;
        for (int p = 0; p < d && p < outLength; p++) {
            int n = ceilDiv(outLength - p, d);
            for (int s = 0; s < n; s += valid) {
                phase[count] = p;
                first[count++] = s;
            }
        }
        // Zero-padded input rows, long enough for every block's N samples, plus a zero tail for unused lanes.
        int maxRead = 0;
        for (int b = 0; b < blocks; b++) maxRead = Math.max(maxRead, (first[b] + N - 1) * d + phase[b]);
        int zeroAt = maxRead + 1;
        int rowLength = zeroAt + (N - 1) * d + 1;
        float[] padded = new float[Math.multiplyExact(in, rowLength)];
        int padLeft = spec.padLeft();
        Parallel.forRange(in, 16, (from, to) -> {
            for (int c = from; c < to; c++) {
                int lo = Math.max(0, -padLeft), hi = Math.min(length, rowLength - padLeft);
                if (hi > lo) System.arraycopy(x, c * length + lo, padded, c * rowLength + lo + padLeft, hi - lo);
            }
        });
        int chunkBlocks = CHUNK_TILES * TILE;
        int chunkTiles = Math.min(CHUNK_TILES, ceilDiv(blocks, TILE));
        float[] spectra = new float[Math.multiplyExact(MATRICES * chunkTiles * TILE, in)];
        float[] products = new float[Math.multiplyExact(2 * (M + 1) * chunkTiles * TILE, out)];
        int[] starts = new int[chunkBlocks];
        for (int b0 = 0; b0 < blocks; b0 += chunkBlocks) {
            int nb = Math.min(chunkBlocks, blocks - b0);
            int tiles = ceilDiv(nb, TILE);
            int width = tiles * TILE;
            for (int i = 0; i < width; i++) {
                starts[i] = i < nb ? first[b0 + i] * d + phase[b0 + i] : zeroAt;
            }
            Parallel.forRange(in, 8, (from, to) -> transformInputs(padded, rowLength, d, starts, tiles, spectra,
                    from, to));
            java.util.Arrays.fill(products, 0, 2 * (M + 1) * width * out, 0f);
            Parallel.forRange(M + 1, 1, (from, to) -> {
                for (int f = from; f < to; f++) multiplyBin(f, spectra, tiles, products, width);
            });
            int chunkStart = b0;
            Parallel.forRange(out, 8, (from, to) -> transformOutputs(products, width, nb, chunkStart, phase, first,
                    d, outLength, result, accumulate, from, to));
        }
    }

    /** Spectra of the input blocks of channels {@code [c0, c1)}: {@code spectra[matrix][tile][channel][16]}. */
    private void transformInputs(float[] padded, int rowLength, int d, int[] starts, int tiles, float[] spectra,
                                 int c0, int c1) {
        float[] zr = new float[M * L], zi = new float[M * L];
        for (int c = c0; c < c1; c++) {
            int row = c * rowLength;
            for (int group = 0; group < tiles * 2; group++) {
                int lane0 = group * L;
                // A transpose by scalar copies: Vector API gathers are slower on AVX2.
                for (int lane = 0; lane < L; lane++) {
                    int src = row + starts[lane0 + lane];
                    for (int n = 0; n < M; n++, src += 2 * d) {
                        zr[n * L + lane] = padded[src];
                        zi[n * L + lane] = padded[src + d];
                    }
                }
                fft(zr, zi, false);
                int tile = group / 2, lane = (group % 2) * L;
                // Z[0] holds DC + Nyquist: U0 = re + im, UM = re - im.
                FloatVector r0 = FloatVector.fromArray(S, zr, 0), i0 = FloatVector.fromArray(S, zi, 0);
                r0.add(i0).intoArray(spectra, at(0, tile, tiles, c, lane));
                r0.sub(i0).intoArray(spectra, at(1, tile, tiles, c, lane));
                for (int f = 1; f < M; f++) {
                    FloatVector ar = FloatVector.fromArray(S, zr, f * L), ai = FloatVector.fromArray(S, zi, f * L);
                    FloatVector br = FloatVector.fromArray(S, zr, (M - f) * L);
                    FloatVector bi = FloatVector.fromArray(S, zi, (M - f) * L).neg();
                    // E = (A + conj B) / 2, O = (A - conj B) / 2i, U = E + W^f O.
                    FloatVector er = ar.add(br).mul(0.5f), ei = ai.add(bi).mul(0.5f);
                    FloatVector or = ai.sub(bi).mul(0.5f), oi = br.sub(ar).mul(0.5f);
                    float wr = SPLIT_COS[f], wi = SPLIT_SIN[f];
                    FloatVector ur = or.mul(wr).sub(oi.mul(wi)).add(er);
                    FloatVector ui = or.mul(wi).add(oi.mul(wr)).add(ei);
                    int m = 2 + 3 * (f - 1);
                    ur.add(ui).intoArray(spectra, at(m, tile, tiles, c, lane));
                    ui.intoArray(spectra, at(m + 1, tile, tiles, c, lane));
                    ur.intoArray(spectra, at(m + 2, tile, tiles, c, lane));
                }
            }
        }
    }

    private int at(int matrix, int tile, int tiles, int channel, int lane) {
        return ((matrix * tiles + tile) * in + channel) * TILE + lane;
    }

    /** Bin {@code f}'s products for every output channel: real part at {@code 2f}, imaginary at {@code 2f + 1}. */
    private void multiplyBin(int f, float[] spectra, int tiles, float[] products, int width) {
        int realPart = 2 * f * out * width, imagPart = (2 * f + 1) * out * width;
        if (f == 0 || f == M) {
            gemm(f == 0 ? 0 : 1, spectra, tiles, products, realPart, width);
            return;
        }
        int m = 2 + 3 * (f - 1);
        gemm(m, spectra, tiles, products, realPart, width);
        System.arraycopy(products, realPart, products, imagPart, out * width);
        gemm(m + 1, spectra, tiles, products, realPart, width);
        gemm(m + 2, spectra, tiles, products, imagPart, width);
    }

    /**
     * {@code products[base + o*width + col] += sum_c matrices[m][o][c] * spectra[m][col][c]}, blocked over input
     * channels so the panel of every column tile stays in L2 while all row blocks pass over it.
     */
    private void gemm(int m, float[] spectra, int tiles, float[] products, int base, int width) {
        float[] w = matrices[m];
        for (int c0 = 0; c0 < in; c0 += GEMM_CHANNELS) {
            int n = Math.min(GEMM_CHANNELS, in - c0);
            for (int o0 = 0; o0 < out; o0 += Conv1d.ROWS) {
                int rows = Math.min(Conv1d.ROWS, out - o0);
                int w0 = o0 * in + c0 * rows;
                for (int tile = 0; tile < tiles; tile++) {
                    int pBase = ((m * tiles + tile) * in + c0) * TILE;
                    int dst = base + o0 * width + tile * TILE;
                    if (rows == Conv1d.ROWS) {
                        Conv1d.rows5(spectra, pBase, n, w, w0, products, dst, width);
                    } else {
                        for (int r = 0; r < rows; r++) {
                            Conv1d.row1(spectra, pBase, n, w, w0 + r, rows, products, dst + r * width);
                        }
                    }
                }
            }
        }
    }

    /** Inverse transforms of output channels {@code [o0, o1)}; keeps each block's valid samples, plus bias. */
    private void transformOutputs(float[] products, int width, int nb, int chunkStart, int[] phase, int[] first,
                                  int d, int outLength, float[] result, boolean accumulate, int o0, int o1) {
        float[] zr = new float[M * L], zi = new float[M * L];
        for (int o = o0; o < o1; o++) {
            float b = bias == null ? 0f : bias[o];
            for (int col = 0; col < nb; col += L) {
                int plane = out * width;
                int at = o * width + col;
                FloatVector u0 = FloatVector.fromArray(S, products, at);
                FloatVector uM = FloatVector.fromArray(S, products, 2 * M * plane + at);
                for (int kk = 0; kk < M; kk++) {
                    // E' = U[k] + conj U[M-k], O' = (U[k] - conj U[M-k]) conj(W^k), Z = E' + i O' (halves and
                    // 1/M are folded into the kernel spectra).
                    FloatVector ar, ai, br, bi;
                    if (kk == 0) {
                        ar = u0;
                        ai = FloatVector.zero(S);
                        br = uM;
                        bi = ai;
                    } else {
                        ar = FloatVector.fromArray(S, products, 2 * kk * plane + at);
                        ai = FloatVector.fromArray(S, products, (2 * kk + 1) * plane + at);
                        br = FloatVector.fromArray(S, products, 2 * (M - kk) * plane + at);
                        bi = FloatVector.fromArray(S, products, (2 * (M - kk) + 1) * plane + at).neg();
                    }
                    FloatVector er = ar.add(br), ei = ai.add(bi);
                    FloatVector dr = ar.sub(br), di = ai.sub(bi);
                    float wr = SPLIT_COS[kk], wi = -SPLIT_SIN[kk];
                    FloatVector or = dr.mul(wr).sub(di.mul(wi)), oi = dr.mul(wi).add(di.mul(wr));
                    er.sub(oi).intoArray(zr, kk * L);
                    ei.add(or).intoArray(zi, kk * L);
                }
                fft(zr, zi, true);
                int lanes = Math.min(L, nb - col);
                for (int lane = 0; lane < lanes; lane++) {
                    int blk = chunkStart + col + lane;
                    int p = phase[blk], s0 = first[blk];
                    for (int i = 0; i < valid; i++) {
                        int t = (s0 + i) * d + p;
                        if (t >= outLength) break;
                        int j = i + k - 1;
                        float v = (j & 1) == 0 ? zr[(j >> 1) * L + lane] : zi[(j >> 1) * L + lane];
                        int at2 = o * outLength + t;
                        result[at2] = (accumulate ? result[at2] : 0f) + v + b;
                    }
                }
            }
        }
    }

    /** In-place radix-2 FFT of M points over L independent lanes ({@code [point][lane]}); inverse unnormalised. */
    private static void fft(float[] re, float[] im, boolean inverse) {
        for (int i = 0; i < M; i++) {
            int j = BIT_REVERSE[i];
            if (j > i) {
                FloatVector a = FloatVector.fromArray(S, re, i * L), b = FloatVector.fromArray(S, re, j * L);
                b.intoArray(re, i * L);
                a.intoArray(re, j * L);
                a = FloatVector.fromArray(S, im, i * L);
                b = FloatVector.fromArray(S, im, j * L);
                b.intoArray(im, i * L);
                a.intoArray(im, j * L);
            }
        }
        for (int size = 2; size <= M; size *= 2) {
            int half = size / 2, step = M / size;
            for (int start = 0; start < M; start += size) {
                for (int j = 0; j < half; j++) {
                    float wr = COS[j * step], wi = inverse ? -SIN[j * step] : SIN[j * step];
                    int a = (start + j) * L, b = (start + j + half) * L;
                    FloatVector br = FloatVector.fromArray(S, re, b), bi = FloatVector.fromArray(S, im, b);
                    FloatVector tr = br.mul(wr).sub(bi.mul(wi)), ti = br.mul(wi).add(bi.mul(wr));
                    FloatVector ar = FloatVector.fromArray(S, re, a), ai = FloatVector.fromArray(S, im, a);
                    ar.sub(tr).intoArray(re, b);
                    ai.sub(ti).intoArray(im, b);
                    ar.add(tr).intoArray(re, a);
                    ai.add(ti).intoArray(im, a);
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
