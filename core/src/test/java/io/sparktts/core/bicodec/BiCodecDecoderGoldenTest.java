package io.sparktts.core.bicodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The decoder against upstream's outputs in the bicodec-tiny fixture (tolerance from its README). */
class BiCodecDecoderGoldenTest {

    static final Path DIR = Path.of("src/test/resources/golden/bicodec-tiny");
    static BiCodecDecoder decoder;
    static TensorStore io;

    @BeforeAll
    static void load() throws Exception {
        decoder = BiCodecDecoder.load(DIR);
        io = TensorStore.open(DIR.resolve("io.safetensors"));
    }

    @AfterAll
    static void close() {
        io.close();
    }

    /** max |got - want| <= 1e-4 * max(1, max |want|), per tensor. */
    static void assertWithinTolerance(String name, float[] want, float[] got) {
        assertEquals(want.length, got.length, name + " length");
        double absMax = 0, worst = 0;
        for (int i = 0; i < want.length; i++) {
            absMax = Math.max(absMax, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        double tolerance = 1e-4 * Math.max(1, absMax);
        assertTrue(worst <= tolerance, name + ": max deviation " + worst + " > " + tolerance);
    }

    private void checkCase(String suffix) throws Exception {
        int[] semantic = io.tensor("semantic_tokens" + suffix).toInts();
        int[] global = io.tensor("global_tokens" + suffix).toInts();
        BiCodecDecoder.Decoded d = decoder.decodeWithIntermediates(semantic, global);
        assertWithinTolerance("z_q" + suffix, io.tensor("z_q" + suffix).toFloats(), d.zq());
        assertWithinTolerance("d_vector" + suffix, io.tensor("d_vector" + suffix).toFloats(), d.dVector());
        assertWithinTolerance("prenet_out" + suffix, io.tensor("prenet_out" + suffix).toFloats(), d.prenetOut());
        assertWithinTolerance("wav_recon" + suffix, io.tensor("wav_recon" + suffix).toFloats(), d.waveform());
        assertEquals(semantic.length * 320, decoder.outputLength(semantic.length));
    }

    @Test
    void tokenizedPromptCaseMatchesUpstream() throws Exception {
        checkCase("");
    }

    @Test
    void fixedIdsCaseMatchesUpstream() throws Exception {
        checkCase("_2");
    }

    @Test
    void quantizerTokenizeGivesUpstreamSemanticIds() throws Exception {
        float[] z = io.tensor("encoder_out").toFloats();
        int frames = (int) io.tensor("encoder_out").dim(2);
        assertArrayEquals(io.tensor("semantic_tokens").toInts(), decoder.quantizer().tokenize(z, frames));
    }

    @Test
    void fsqQuantizeGivesUpstreamGlobalIds() throws Exception {
        float[] latents = io.tensor("perceiver_out").toFloats();
        int tokens = (int) io.tensor("perceiver_out").dim(1);
        assertArrayEquals(io.tensor("global_tokens").toInts(),
                decoder.speakerEncoder().quantizer().quantize(latents, tokens));
    }
}
