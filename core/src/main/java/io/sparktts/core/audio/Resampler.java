package io.sparktts.core.audio;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Band-limited sample-rate conversion by an exact rational ratio (a polyphase Kaiser-windowed sinc), standing in for
 * upstream's {@code soxr.resample(..., quality="VHQ")}. Band edges follow soxr's very-high-quality mode: flat to
 * {@value #PASSBAND_END} of the lower rate's Nyquist frequency, {@value #STOPBAND_DB} dB down from the Nyquist
 * frequency on. Linear phase with the delay removed, samples outside the input taken as zero, and
 * {@code round(n * out / in)} output samples, like soxr's one-shot conversion.
 */
public final class Resampler {

    /** End of the flat band, as a fraction of the lower rate's Nyquist frequency. */
    public static final double PASSBAND_END = 0.91;
    /** Start of the stop band, as a fraction of the lower rate's Nyquist frequency. */
    public static final double STOPBAND_BEGIN = 1.0;
    /** Design attenuation in the stop band and ripple bound in the pass band (Kaiser: both 10^(-dB/20)). */
    public static final double STOPBAND_DB = 150;
    public static final int MIN_RATE = 1000;
    public static final int MAX_RATE = 1_000_000;

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Largest per-phase coefficient table, in doubles; bigger (odd ratios) interpolate one finely sampled kernel. */
    private static final int MAX_TABLE = 1 << 21;
    /** Kernel samples per input sample in the interpolated mode; 4-point Lagrange error is far below the ripple. */
    private static final int FINE = 256;

    private final int inRate;
    private final int outRate;
    private final int up;
    private final int down;
    /** Taps on each side of the output instant: 2 * half taps per output sample. */
    private final int half;
    private final int taps;
    /** Exact mode: {@code up} rows of {@code taps} coefficients. Interpolated mode: the kernel every 1/FINE sample. */
    private final double[] table;
    private final boolean exact;

    public Resampler(int inRate, int outRate) {
        checkRate("input", inRate);
        checkRate("output", outRate);
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        up = outRate / g;
        down = inRate / g;
        double nyquist = Math.min(inRate, outRate) / 2.0;
        double transition = (STOPBAND_BEGIN - PASSBAND_END) * nyquist / inRate;
        double cutoff = (PASSBAND_END + STOPBAND_BEGIN) / 2 * nyquist / inRate * 2;
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        double radius = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition) / 2;
        half = (int) Math.ceil(radius);
        taps = 2 * half;
        exact = (long) up * taps <= MAX_TABLE;
        Kernel k = new Kernel(cutoff, beta, radius);
        if (exact) {
            table = new double[up * taps];
            for (int p = 0; p < up; p++) {
                for (int j = 0; j < taps; j++) {
                    table[p * taps + j] = k.at((double) p / up + half - 1 - j);
                }
            }
        } else {
            int n = 2 * (half + 2) * FINE + 1;
            table = new double[n];
            for (int i = 0; i < n; i++) {
                table[i] = k.at((double) (i - (half + 2) * FINE) / FINE);
            }
        }
    }

    /** Converts {@code x} from {@code inRate} to {@code outRate}. */
    public static double[] resample(double[] x, int inRate, int outRate) {
        if (inRate == outRate) {
            return x.clone();
        }
        return new Resampler(inRate, outRate).process(x);
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Coefficients per output sample. */
    public int taps() {
        return taps;
    }

    public double[] process(double[] x) {
        long outLength = ((long) x.length * up * 2 + down) / (2L * down);
        if (outLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled length " + outLength + " is too long");
        }
        double[] padded = new double[x.length + 2 * taps];
        System.arraycopy(x, 0, padded, taps, x.length);
        double[] out = new double[(int) outLength];
        double[] scratch = exact ? null : new double[taps];
        int upper = S.loopBound(taps);
        for (int n = 0; n < out.length; n++) {
            long pos = (long) n * down;
            int base = (int) (pos / up);
            int phase = (int) (pos % up);
            double[] coef;
            int c0;
            if (exact) {
                coef = table;
                c0 = phase * taps;
            } else {
                interpolate((double) phase / up, scratch);
                coef = scratch;
                c0 = 0;
            }
            // input sample base - half + 1 + j sits at padded index base - half + 1 + j + taps
            int x0 = base - half + 1 + taps;
            DoubleVector acc = DoubleVector.zero(S);
            int j = 0;
            for (; j < upper; j += S.length()) {
                acc = DoubleVector.fromArray(S, padded, x0 + j).fma(DoubleVector.fromArray(S, coef, c0 + j), acc);
            }
            double s = acc.reduceLanes(VectorOperators.ADD);
            for (; j < taps; j++) {
                s += padded[x0 + j] * coef[c0 + j];
            }
            out[n] = s;
        }
        return out;
    }

    /** Coefficients for fractional position {@code frac} from the finely sampled kernel (4-point Lagrange). */
    private void interpolate(double frac, double[] coef) {
        for (int j = 0; j < taps; j++) {
            double pos = (frac + half - 1 - j + half + 2) * FINE;
            int i = (int) Math.floor(pos);
            double t = pos - i;
            double tm = t - 1, tmm = t - 2, tp = t + 1;
            coef[j] = -t * tm * tmm / 6 * table[i - 1] + tp * tm * tmm / 2 * table[i]
                    - tp * t * tmm / 2 * table[i + 1] + tp * t * tm / 6 * table[i + 2];
        }
    }

    /** Kaiser-windowed sinc in input-sample time, unit gain at DC. */
    private record Kernel(double cutoff, double beta, double radius) {
        double at(double t) {
            double r = t / radius;
            if (r * r >= 1) {
                return 0;
            }
            double x = Math.PI * cutoff * t;
            double sinc = x == 0 ? 1 : Math.sin(x) / x;
            return cutoff * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
        }
    }

    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 500 && term > 1e-17 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static void checkRate(String which, int rate) {
        if (rate < MIN_RATE || rate > MAX_RATE) {
            throw new IllegalArgumentException(which + " sample rate " + rate + " Hz is outside " + MIN_RATE + ".." + MAX_RATE + " Hz");
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
