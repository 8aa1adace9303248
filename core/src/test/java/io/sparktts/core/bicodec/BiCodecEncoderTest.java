package io.sparktts.core.bicodec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparktts.core.Golden;
import io.sparktts.safetensors.TensorStore;
import org.junit.jupiter.api.Test;

class BiCodecEncoderTest {

    @Test
    void matchesUpstreamTokenizeOnTheGolden() throws Exception {
        BiCodecConfig config = BiCodecConfig.load(Golden.BICODEC.resolve("config.yaml"));
        BiCodecEncoder encoder;
        try (TensorStore store = TensorStore.open(Golden.BICODEC.resolve("model.safetensors"))) {
            encoder = BiCodecEncoder.load(store, config);
        }
        try (TensorStore io = TensorStore.open(Golden.BICODEC.resolve("io.safetensors"))) {
            float[] feat = io.tensor("feat").requireShape(1, 150, 32).toFloats();
            BiCodecEncoder.Result r = encoder.encode(feat, 150, io.tensor("ref_wav").toFloats());
            assertEquals(301, r.melFrames());
            Golden.assertScaled(io, "mel", r.mel());
            Golden.assertScaled(io, "encoder_out", r.encoderOut());
            Golden.assertIds(io, "semantic_tokens", java.util.Arrays.stream(r.semanticTokens()).asLongStream().toArray());
            Golden.assertScaled(io, "ecapa_latent", r.speaker().ecapa().latent());
            Golden.assertScaled(io, "x_vector", r.speaker().ecapa().xVector());
            Golden.assertScaled(io, "perceiver_out", r.speaker().perceiverOut());
            Golden.assertIds(io, "global_tokens", java.util.Arrays.stream(r.globalTokens()).asLongStream().toArray());
        }
    }
}
