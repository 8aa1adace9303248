package io.sparktts.core.wav2vec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparktts.core.Golden;
import io.sparktts.core.SparkTtsException;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Wav2Vec2ModelTest {

    static final Path DIR = Golden.WAV2VEC2;

    @Test
    void inputValuesAreNormalizedPerUtterance() throws Exception {
        try (TensorStore io = TensorStore.open(DIR.resolve("io.safetensors"))) {
            float[] wav = io.tensor("wav").toFloats();
            Golden.assertClose(io, "input_values", Wav2Vec2FeatureExtractor.normalize(wav), 1e-5);
        }
    }

    @Test
    void matchesGoldenFromSafetensors() throws Exception {
        check("model.safetensors");
    }

    @Test
    void matchesGoldenFromPytorchBin() throws Exception {
        check("pytorch_model.bin");
    }

    static void check(String weights) throws Exception {
        Wav2Vec2Config config = Wav2Vec2Config.load(DIR.resolve("config.json"));
        Wav2Vec2Model model;
        try (TensorStore store = TensorStore.open(DIR.resolve(weights))) {
            model = Wav2Vec2Model.load(store, config, 16);
        }
        assertEquals(16, model.loadedLayers());
        try (TensorStore io = TensorStore.open(DIR.resolve("io.safetensors"))) {
            float[] input = io.tensor("input_values").toFloats();
            float[][] states = new float[17][];
            Wav2Vec2Model.Output out = model.forward(input, 16, (i, s) -> states[i] = s);
            assertEquals(99, out.frames());
            Golden.assertClose(io, "extract_features", out.extractFeatures(), 1e-4);
            for (int k = 0; k <= 16; k++) {
                Golden.assertClose(io, "hidden_state_" + k, states[k], 1e-3);
            }
            Golden.assertClose(io, "feats_mix", model.featsMix(input), 1e-3);
        }
    }

    @Test
    void allLayersEndWithTheFinalLayerNorm() throws Exception {
        Wav2Vec2Model model = Wav2Vec2Model.load(DIR, 99);
        assertEquals(17, model.loadedLayers());
        try (TensorStore io = TensorStore.open(DIR.resolve("io.safetensors"))) {
            Golden.assertClose(io, "hidden_state_17", model.forward(io.tensor("input_values").toFloats(), 17, null).hidden(), 1e-3);
        }
    }

    @Test
    void refusesTooShortAudioAndOtherArchitectures() throws Exception {
        Wav2Vec2Model model = Wav2Vec2Model.load(DIR, 1);
        assertEquals(400, model.minimumSamples());
        assertEquals("audio of 399 samples is too short for wav2vec2 (needs at least 400)",
                assertThrows(SparkTtsException.class, () -> model.forward(new float[399], 1, null)).getMessage());
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(DIR.resolve("config.json").toFile());
        json.put("feat_extract_norm", "group");
        assertEquals("c.json: feat_extract_norm is 'group'; only 'layer' (the xlsr-53 layout) is supported",
                assertThrows(SparkTtsException.class, () -> Wav2Vec2Config.parse(json, "c.json")).getMessage());
    }
}
