package io.sparktts.core.audio;

import io.sparktts.kernels.Fft;
import io.sparktts.kernels.Parallel;

/**
 * torchaudio's {@code MelSpectrogram(sr, n_fft, win_length, hop_length, f_min, f_max, n_mels, power=1,
 * norm="slaney", mel_scale="slaney")} with its defaults: centred frames (reflect padding of n_fft/2), a periodic
 * Hann window of win_length zero-padded to n_fft in the middle, the STFT magnitude (no log), and Slaney-scale
 * triangular filters with Slaney area normalization. Output is channels-first {@code [nMels][frames]} with
 * {@code frames = 1 + samples / hop}.
 */
public final class MelSpectrogram {

    private final int nFft;
    private final int hop;
    private final int nMels;
    private final Fft fft;
    /** The window spread over n_fft samples (zeros outside the centred win_length). */
    private final float[] window;
    /** Filter m is {@code filters[m][f - lo[m]]} for frequency bins {@code lo[m] <= f < hi[m]}, zero elsewhere. */
    private final float[][] filters;
    private final int[] lo;
    private final int[] hi;

    public MelSpectrogram(int sampleRate, int nFft, int winLength, int hopLength, double fMin, double fMax, int nMels) {
        if (sampleRate <= 0 || winLength < 1 || winLength > nFft || hopLength < 1 || nMels < 1
                || !(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2.0)) {
            throw new IllegalArgumentException("mel spectrogram: bad parameters sr=" + sampleRate + " n_fft=" + nFft
                    + " win=" + winLength + " hop=" + hopLength + " f=" + fMin + ".." + fMax + " mels=" + nMels);
        }
        this.nFft = nFft;
        this.hop = hopLength;
        this.nMels = nMels;
        fft = new Fft(nFft);
        window = new float[nFft];
        int left = (nFft - winLength) / 2;
        for (int i = 0; i < winLength; i++) {
            window[left + i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / winLength));
        }
        int bins = nFft / 2 + 1;
        // torchaudio builds the filterbank in float32: mirror its steps and rounding
        float[] freqs = new float[bins];
        for (int f = 0; f < bins; f++) {
            freqs[f] = (float) ((double) (sampleRate / 2) * f / (bins - 1));
        }
        double mMin = hzToMel(fMin), mMax = hzToMel(fMax);
        float[] pts = new float[nMels + 2];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = melToHz((float) (mMin + (mMax - mMin) * i / (nMels + 1)));
        }
        filters = new float[nMels][];
        lo = new int[nMels];
        hi = new int[nMels];
        for (int m = 0; m < nMels; m++) {
            float downDiff = pts[m + 1] - pts[m], upDiff = pts[m + 2] - pts[m + 1];
            float norm = 2.0f / (pts[m + 2] - pts[m]);
            float[] row = new float[bins];
            int first = bins, last = -1;
            for (int f = 0; f < bins; f++) {
                float down = -(pts[m] - freqs[f]) / downDiff;
                float up = (pts[m + 2] - freqs[f]) / upDiff;
                float v = Math.max(0f, Math.min(down, up)) * norm;
                row[f] = v;
                if (v != 0) {
                    first = Math.min(first, f);
                    last = f;
                }
            }
            lo[m] = last < 0 ? 0 : first;
            hi[m] = last < 0 ? 0 : last + 1;
            filters[m] = java.util.Arrays.copyOfRange(row, lo[m], hi[m]);
        }
    }

    /** Slaney mel scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above. */
    static double hzToMel(double hz) {
        double mels = hz / (200.0 / 3);
        if (hz >= 1000) {
            mels = 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27);
        }
        return mels;
    }

    static float melToHz(float mel) {
        float hz = (float) (200.0 / 3) * mel;
        if (mel >= 15) {
            hz = (float) (1000 * Math.exp((float) (Math.log(6.4) / 27) * (mel - 15f)));
        }
        return hz;
    }

    public int mels() {
        return nMels;
    }

    public int frames(int samples) {
        return 1 + samples / hop;
    }

    /** Mel magnitudes {@code [nMels][frames]} of {@code wav} (longer than n_fft / 2, as reflect padding needs). */
    public float[] compute(float[] wav) {
        int n = wav.length;
        int pad = nFft / 2;
        if (n <= pad) {
            throw new IllegalArgumentException("mel spectrogram needs more than " + pad + " samples, got " + n);
        }
        int frames = frames(n);
        float[] out = new float[nMels * frames];
        Parallel.forRange(frames, 16, (from, to) -> {
            float[] frame = new float[nFft];
            float[] re = new float[fft.bins()], im = new float[fft.bins()], mag = new float[fft.bins()];
            for (int t = from; t < to; t++) {
                int start = t * hop - pad;
                for (int i = 0; i < nFft; i++) {
                    int s = start + i;
                    if (s < 0) {
                        s = -s;
                    } else if (s >= n) {
                        s = 2 * (n - 1) - s;
                    }
                    frame[i] = wav[s] * window[i];
                }
                fft.forward(frame, 0, re, im);
                Fft.magnitude(re, im, fft.bins(), mag, 0);
                for (int m = 0; m < nMels; m++) {
                    float[] w = filters[m];
                    float acc = 0;
                    for (int f = 0; f < w.length; f++) {
                        acc = Math.fma(w[f], mag[lo[m] + f], acc);
                    }
                    out[m * frames + t] = acc;
                }
            }
        });
        return out;
    }
}
