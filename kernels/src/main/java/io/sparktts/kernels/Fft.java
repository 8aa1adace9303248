package io.sparktts.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Forward real FFT of a power-of-two size {@code n}: {@code X[k] = sum_t x[t] e^{-2 pi i k t / n}} for
 * {@code k = 0..n/2}. The real input is packed as {@code n/2} complex values, transformed by an iterative radix-2
 * FFT on split real/imaginary arrays (stages of at least one vector wide run in lanes), and unpacked. Twiddles are
 * computed in double. Immutable: one instance serves any number of threads, each with its own output arrays.
 */
public final class Fft {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int n;
    private final int half;
    private final int[] bitReverse;
    /** Stage twiddles: for butterfly span h, {@code e^{-i pi j / h}} at index {@code h + j}, j < h. */
    private final float[] twRe;
    private final float[] twIm;
    /** Unpacking twiddles {@code e^{-2 pi i k / n}}, k <= n/4. */
    private final float[] unRe;
    private final float[] unIm;

    public Fft(int n) {
        if (n < 4 || Integer.bitCount(n) != 1 || n > 1 << 24) {
            throw new IllegalArgumentException("FFT size " + n + " is not a power of two in 4..2^24");
        }
        this.n = n;
        half = n / 2;
        int bits = Integer.numberOfTrailingZeros(half);
        bitReverse = new int[half];
        for (int k = 0; k < half; k++) {
            bitReverse[k] = bits == 0 ? 0 : Integer.reverse(k) >>> (32 - bits);
        }
        twRe = new float[Math.max(half, 2)];
        twIm = new float[Math.max(half, 2)];
        for (int h = 1; h < half; h *= 2) {
            for (int j = 0; j < h; j++) {
                double a = -Math.PI * j / h;
                twRe[h + j] = (float) Math.cos(a);
                twIm[h + j] = (float) Math.sin(a);
            }
        }
        unRe = new float[n / 4 + 1];
        unIm = new float[n / 4 + 1];
        for (int k = 0; k <= n / 4; k++) {
            double a = -2 * Math.PI * k / n;
            unRe[k] = (float) Math.cos(a);
            unIm[k] = (float) Math.sin(a);
        }
    }

    public int size() {
        return n;
    }

    /** Number of output bins, {@code n/2 + 1}. */
    public int bins() {
        return half + 1;
    }

    /** Spectrum of {@code x[offset, offset + n)} into {@code re[0..n/2]} and {@code im[0..n/2]}. */
    public void forward(float[] x, int offset, float[] re, float[] im) {
        if (offset < 0 || x.length - offset < n || re.length < half + 1 || im.length < half + 1) {
            throw new IllegalArgumentException("fft " + n + ": arrays too small (x " + x.length + " from " + offset
                    + ", re " + re.length + ", im " + im.length + ")");
        }
        for (int k = 0; k < half; k++) {
            int r = bitReverse[k];
            re[r] = x[offset + 2 * k];
            im[r] = x[offset + 2 * k + 1];
        }
        for (int h = 1; h < half; h *= 2) {
            if (h >= S.length()) {
                vectorStage(re, im, h);
            } else {
                scalarStage(re, im, h);
            }
        }
        unpack(re, im);
    }

    /** {@code out[k] = |X[k]|} for the {@code n/2 + 1} bins. */
    public static void magnitude(float[] re, float[] im, int bins, float[] out, int outOffset) {
        int k = 0;
        for (; k + S.length() <= bins; k += S.length()) {
            FloatVector a = FloatVector.fromArray(S, re, k);
            FloatVector b = FloatVector.fromArray(S, im, k);
            a.mul(a).add(b.mul(b)).sqrt().intoArray(out, outOffset + k);
        }
        for (; k < bins; k++) {
            out[outOffset + k] = (float) Math.sqrt(re[k] * re[k] + im[k] * im[k]);
        }
    }

    private void scalarStage(float[] re, float[] im, int h) {
        for (int s = 0; s < half; s += 2 * h) {
            for (int j = 0; j < h; j++) {
                float wr = twRe[h + j], wi = twIm[h + j];
                int a = s + j, b = a + h;
                float br = re[b] * wr - im[b] * wi;
                float bi = re[b] * wi + im[b] * wr;
                re[b] = re[a] - br;
                im[b] = im[a] - bi;
                re[a] += br;
                im[a] += bi;
            }
        }
    }

    private void vectorStage(float[] re, float[] im, int h) {
        int l = S.length();
        for (int s = 0; s < half; s += 2 * h) {
            for (int j = 0; j < h; j += l) {
                FloatVector wr = FloatVector.fromArray(S, twRe, h + j);
                FloatVector wi = FloatVector.fromArray(S, twIm, h + j);
                int a = s + j, b = a + h;
                FloatVector xr = FloatVector.fromArray(S, re, b);
                FloatVector xi = FloatVector.fromArray(S, im, b);
                FloatVector br = xr.mul(wr).sub(xi.mul(wi));
                FloatVector bi = xr.mul(wi).add(xi.mul(wr));
                FloatVector ar = FloatVector.fromArray(S, re, a);
                FloatVector ai = FloatVector.fromArray(S, im, a);
                ar.sub(br).intoArray(re, b);
                ai.sub(bi).intoArray(im, b);
                ar.add(br).intoArray(re, a);
                ai.add(bi).intoArray(im, a);
            }
        }
    }

    /**
     * From the packed transform Z (of z[t] = x[2t] + i x[2t+1]) to X: with E = (Z[k] + conj Z[m-k]) / 2 and
     * O = (Z[k] - conj Z[m-k]) / 2i, X[k] = E + W^k O and X[m-k] = conj(E - W^k O), m = n/2, W = e^{-2 pi i / n}.
     */
    private void unpack(float[] re, float[] im) {
        float z0r = re[0], z0i = im[0];
        re[0] = z0r + z0i;
        im[0] = 0;
        re[half] = z0r - z0i;
        im[half] = 0;
        for (int k = 1; k < half - k; k++) {
            int q = half - k;
            float er = 0.5f * (re[k] + re[q]), ei = 0.5f * (im[k] - im[q]);
            // O = (Z[k] - conj Z[q]) / 2i: real part = (im[k] + im[q]) / 2, imaginary part = -(re[k] - re[q]) / 2
            float or = 0.5f * (im[k] + im[q]), oi = -0.5f * (re[k] - re[q]);
            float wr = unRe[k], wi = unIm[k];
            float tr = wr * or - wi * oi, ti = wr * oi + wi * or;
            re[k] = er + tr;
            im[k] = ei + ti;
            re[q] = er - tr;
            im[q] = -(ei - ti);
        }
        if (half >= 2) {
            // k = m/2 pairs with itself: X[m/2] = conj(Z[m/2])
            im[half / 2] = -im[half / 2];
        }
    }
}
