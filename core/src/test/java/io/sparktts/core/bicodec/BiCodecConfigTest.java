package io.sparktts.core.bicodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparktts.core.SparkTtsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BiCodecConfigTest {

    static final Path FIXTURE = Path.of("src/test/resources/golden/bicodec-tiny/config.yaml");

    @TempDir
    Path tmp;

    @Test
    void readsTheFixtureConfig() throws Exception {
        BiCodecConfig c = BiCodecConfig.load(FIXTURE);
        assertEquals(16000, c.sampleRate());
        assertEquals(320, c.latentHopLength());
        assertEquals(6.0, c.refSegmentDuration());
        assertEquals(40.0, c.highpassCutoffFreq());
        assertEquals(new BiCodecConfig.MelParams(16000, 1024, 640, 320, 10, null, 128), c.melParams());
        assertEquals(new BiCodecConfig.EncoderConfig(32, 16, 32, 2, 24, List.of(1, 1)), c.encoder());
        assertEquals(new BiCodecConfig.QuantizerConfig(24, 64, 4), c.quantizer());
        assertEquals(new BiCodecConfig.SpeakerEncoderConfig(128, 24, 16, 4, List.of(4, 4, 4, 4, 4, 4), 1),
                c.speakerEncoder());
        assertEquals(4096, c.speakerEncoder().codebookSize());
        assertEquals(new BiCodecConfig.FeatDecoderConfig(24, 16, 32, 2, 24, 24, List.of(1, 1), false), c.prenet());
        assertNull(c.postnet().conditionDim());
        assertEquals(new BiCodecConfig.WaveGeneratorConfig(24, 32, List.of(8, 5, 4, 2), List.of(16, 11, 8, 4)),
                c.decoder());
        assertEquals(320, c.decoder().hopLength());
    }

    @Test
    void acceptsTheReleasedQuantizerKeys() throws Exception {
        Path p = edited("    decay: 0.99\n", "    use_l2_normlize: true\n");
        assertEquals(64, BiCodecConfig.load(p).quantizer().codebookSize());
    }

    @Test
    void refusesUnknownKeysByName() throws Exception {
        Path p = edited("    codebook_dim: 4\n", "    codebook_dim: 4\n    codebook_dims: 4\n");
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> BiCodecConfig.load(p));
        assertEquals(p + ": 'audio_tokenizer.quantizer.codebook_dims' is not a known key", e.getMessage());
    }

    @Test
    void refusesMissingKeysByName() throws Exception {
        Path p = edited("    channels: 32\n", "");
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> BiCodecConfig.load(p));
        assertEquals(p + ": missing key 'audio_tokenizer.decoder.channels'", e.getMessage());
    }

    @Test
    void refusesWrongTypesAndValues() throws Exception {
        Path p = edited("    token_num: 4\n", "    token_num: four\n");
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> BiCodecConfig.load(p));
        assertEquals(p + ": 'audio_tokenizer.speaker_encoder.token_num' is 'four', expected an integer", e.getMessage());
        Path q = edited("    rates: [8, 5, 4, 2]\n", "    rates: [8, 0, 4, 2]\n");
        e = assertThrows(SparkTtsException.class, () -> BiCodecConfig.load(q));
        assertEquals(q + ": 'audio_tokenizer.decoder.rates[1]' is 0, expected 1..1048576", e.getMessage());
        Path r = edited("    kernel_sizes: [16, 11, 8, 4]\n", "    kernel_sizes: [16, 11, 8]\n");
        e = assertThrows(SparkTtsException.class, () -> BiCodecConfig.load(r));
        assertEquals(r + ": 'audio_tokenizer.decoder.kernel_sizes' has 3 entries but rates has 4", e.getMessage());
    }

    @Test
    void refusesBrokenYamlAndMissingFiles() throws Exception {
        Path p = tmp.resolve("config.yaml");
        Files.writeString(p, "audio_tokenizer: [unclosed\n");
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> BiCodecConfig.load(p));
        assertEquals(true, e.getMessage().startsWith(p + ": not valid YAML"), e.getMessage());
        Path missing = tmp.resolve("nothing.yaml");
        e = assertThrows(SparkTtsException.class, () -> BiCodecConfig.load(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    private Path edited(String from, String to) throws Exception {
        String text = Files.readString(FIXTURE);
        if (!text.contains(from)) throw new AssertionError("fixture lacks " + from);
        Path p = tmp.resolve("config-" + Math.abs((from + to).hashCode()) + ".yaml");
        Files.writeString(p, text.replace(from, to));
        return p;
    }
}
