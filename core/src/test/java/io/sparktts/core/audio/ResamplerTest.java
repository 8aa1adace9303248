package io.sparktts.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Quality of the 16 kHz conversion: sines and multi-tone noise in the pass band must come out as the same signal
 * sampled at 16 kHz, and anything above the new Nyquist frequency must vanish (no aliasing). Levels are relative
 * to the signal, measured away from the edges where the input is zero-extended.
 */
class ResamplerTest {

    static final int OUT = 16000;
    static final double LIMIT_DB = -140;

    /** Sum of sines: frequency (Hz), amplitude, phase; sampled at {@code rate}. */
    static double[] tones(double[][] tones, int rate, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate, s = 0;
            for (double[] tone : tones) {
                s += tone[1] * Math.sin(2 * Math.PI * tone[0] * t + tone[2]);
            }
            x[i] = s;
        }
        return x;
    }

    static double[][] noise(Random r, double fromHz, double toHz, int count) {
        double[][] t = new double[count][];
        for (int i = 0; i < count; i++) {
            t[i] = new double[] {fromHz + (toHz - fromHz) * r.nextDouble(), r.nextGaussian() / Math.sqrt(count), 2 * Math.PI * r.nextDouble()};
        }
        return t;
    }

    /** 20 log10(rms(got - want) / rms(want or reference)) over the interior. */
    static double levelDb(double[] got, double[] want, double referenceRms, int margin) {
        double e = 0;
        int n = 0;
        for (int i = margin; i < got.length - margin; i++) {
            double d = got[i] - (want == null ? 0 : want[i]);
            e += d * d;
            n++;
        }
        return 10 * Math.log10(e / n) - 20 * Math.log10(referenceRms);
    }

    static void checkRate(int in) {
        Resampler rs = new Resampler(in, OUT);
        int nIn = in / 2;
        int margin = rs.taps() * OUT / Math.min(in, OUT) + 8;
        double passEnd = Resampler.PASSBAND_END * Math.min(in, OUT) / 2;
        double[][] sines = {{100, 0.5, 0.3}, {1000, 0.9, 1}, {0.5 * passEnd, 0.7, 2}, {passEnd, 0.8, 0.1}};
        for (double[] s : sines) {
            double[][] one = {s};
            double[] got = rs.process(tones(one, in, nIn));
            double db = levelDb(got, tones(one, OUT, got.length), s[1] / Math.sqrt(2), margin);
            assertTrue(db < LIMIT_DB, in + " Hz: sine at " + s[0] + " Hz error " + db + " dB");
        }
        Random r = new Random(in);
        double[][] band = noise(r, 20, passEnd, 64);
        double[] got = rs.process(tones(band, in, nIn));
        double rms = Math.sqrt(sumSquares(band) / 2);
        double db = levelDb(got, tones(band, OUT, got.length), rms, margin);
        assertTrue(db < LIMIT_DB, in + " Hz: pass-band noise error " + db + " dB");
        if (in > OUT) {
            // everything from the new Nyquist frequency to the old one must be removed
            double[][] high = noise(r, OUT / 2.0, in / 2.0 - 1, 64);
            double[] y = rs.process(tones(high, in, nIn));
            double alias = levelDb(y, null, Math.sqrt(sumSquares(high) / 2), margin);
            assertTrue(alias < LIMIT_DB, in + " Hz: aliasing of stop-band noise " + alias + " dB");
            for (double f : new double[] {OUT / 2.0, OUT / 2.0 + 350, 0.75 * in / 2, in / 2.0 - 10}) {
                double[][] one = {{f, 1, 0.4}};
                double a = levelDb(rs.process(tones(one, in, nIn)), null, Math.sqrt(0.5), margin);
                assertTrue(a < LIMIT_DB, in + " Hz: sine at " + f + " Hz aliases at " + a + " dB");
            }
        } else {
            // upsampling: the spectral images of the input above its Nyquist frequency must be removed, which the
            // pass-band comparison above already measures (an image is an error against the ideal 16 kHz signal);
            // check a loud tone right at the pass-band end once more on its own
            double[][] one = {{passEnd, 1, 0}};
            double[] y = rs.process(tones(one, in, nIn));
            assertTrue(levelDb(y, tones(one, OUT, y.length), Math.sqrt(0.5), margin) < LIMIT_DB);
        }
    }

    static double sumSquares(double[][] tones) {
        double s = 0;
        for (double[] t : tones) s += t[1] * t[1];
        return s;
    }

    @Test
    void from8kHz() {
        checkRate(8000);
    }

    @Test
    void from22050Hz() {
        checkRate(22050);
    }

    @Test
    void from44100Hz() {
        checkRate(44100);
    }

    @Test
    void from48kHz() {
        checkRate(48000);
    }

    /** A coprime rate needs 16000 phases and takes the interpolated-kernel path. */
    @Test
    void fromAnOddRate() {
        checkRate(44101);
    }

    @Test
    void outputLengthIsTheRoundedRatio() {
        assertEquals(16000, new Resampler(44100, OUT).process(new double[44100]).length);
        assertEquals(5805, new Resampler(44100, OUT).process(new double[16000]).length); // 5804.99
        assertEquals(2, new Resampler(48000, OUT).process(new double[5]).length); // 1.67
        assertEquals(1, new Resampler(48000, OUT).process(new double[4]).length); // 1.33
    }

    @Test
    void keepsDcAndDelaysNothing() {
        double[] x = new double[4000];
        x[2000] = 1;
        double[] y = new Resampler(8000, OUT).process(x);
        // an impulse at input sample 2000 peaks at output sample 4000 and integrates to the rate ratio
        int peak = 0;
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] > y[peak]) peak = i;
            sum += y[i];
        }
        assertEquals(4000, peak);
        assertEquals(2.0, sum, 1e-7);
    }
}
