package io.sparktts.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.core.bicodec.BiCodecConfig;
import io.sparktts.core.bicodec.BiCodecDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streamed chunks against the one-shot decode of the bicodec-tiny golden decoder. */
class StreamingDecoderTest {
    static BiCodecDecoder decoder;
    static int[] semantic;
    static final int[] GLOBAL = {17, 4000, 512, 9};

    @BeforeAll
    static void load() throws Exception {
        decoder = BiCodecDecoder.load(Path.of("src/test/resources/golden/bicodec-tiny"));
        semantic = new SplittableRandom(21).ints(230, 0, 64).toArray();
    }

    private static float[] stream(int first, int chunk, int context, List<Integer> chunkLengths) throws Exception {
        List<float[]> parts = new ArrayList<>();
        StreamingDecoder s = new StreamingDecoder(decoder, GLOBAL, first, chunk, context, parts::add);
        for (int t : semantic) {
            s.add(t);
        }
        int beforeFinish = parts.size();
        s.finish();
        assertTrue(parts.size() > beforeFinish || beforeFinish > 0);
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            chunkLengths.add(p.length);
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    @Test
    void receptiveFieldFollowsTheConfig() {
        BiCodecConfig c = decoder.config();
        // prenet: two inner 2-layer backbones (9 each) + the 2-layer final backbone (9); WaveGenerator
        // [8,5,4,2]/[16,11,8,4]: 3 + 2 + 39/8 + 3/8 + 39/40 + 2/40 + 39/160 + 2/160 + 39/320 + 3/320 = 11.6
        assertEquals(27 + 12 + 1, StreamingDecoder.receptiveField(c));
    }

    @Test
    void streamedAudioEqualsTheOneShotDecode() throws Exception {
        float[] oneShot = decoder.decode(semantic, GLOBAL);
        List<Integer> lengths = new ArrayList<>();
        float[] streamed = stream(10, 50, StreamingDecoder.receptiveField(decoder.config()), lengths);
        // the chunk ending at frame 210 would need context up to 250 > 230: it goes out with the rest at finish
        assertEquals(List.of(3200, 16000, 16000, 16000, 22400), lengths);
        assertTrue(maxDiff(oneShot, streamed) <= 1e-5, "max diff " + maxDiff(oneShot, streamed));
    }

    @Test
    void withoutContextTheChunkSeamsDiffer() throws Exception {
        float[] oneShot = decoder.decode(semantic, GLOBAL);
        assertTrue(maxDiff(oneShot, stream(10, 50, 0, new ArrayList<>())) > 1e-3, "context matters");
    }
}
