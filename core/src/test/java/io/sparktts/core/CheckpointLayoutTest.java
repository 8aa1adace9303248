package io.sparktts.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLayoutTest {
    @TempDir
    Path dir;

    private void touch(String name) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
    }

    @Test
    void namesEveryMissingPartAndHowToGetTheCheckpoint() throws Exception {
        touch("config.yaml");
        touch("LLM/config.json");
        touch("BiCodec/model.safetensors");
        CheckpointLayout layout = new CheckpointLayout(dir);
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> layout.check(true));
        assertEquals(dir + " is not a complete Spark-TTS-0.5B checkpoint: missing LLM/tokenizer.json, LLM/model.safetensors, "
                + "BiCodec/config.yaml, wav2vec2-large-xlsr-53/config.json, wav2vec2-large-xlsr-53/pytorch_model.bin; "
                + CheckpointLayout.HOW_TO_GET, e.getMessage());
    }

    @Test
    void wav2vec2IsOnlyNeededForCloningAndShardedOrSafetensorsWeightsAreFound() throws Exception {
        for (String f : new String[] {"config.yaml", "LLM/config.json", "LLM/tokenizer.json", "LLM/model.safetensors.index.json",
                "BiCodec/config.yaml", "BiCodec/model.safetensors"}) {
            touch(f);
        }
        CheckpointLayout layout = new CheckpointLayout(dir);
        layout.check(false);
        assertEquals(dir.resolve("LLM/model.safetensors.index.json"), layout.llmWeights());
        touch("wav2vec2-large-xlsr-53/config.json");
        touch("wav2vec2-large-xlsr-53/model.safetensors");
        layout.check(true);
        assertEquals(dir.resolve("wav2vec2-large-xlsr-53/model.safetensors"), layout.wav2vec2Weights());
    }

    @Test
    void aMissingFolderSaysHowToGetIt() {
        Path none = dir.resolve("none");
        assertEquals(none + ": no such checkpoint folder; " + CheckpointLayout.HOW_TO_GET,
                assertThrows(SparkTtsException.class, () -> new CheckpointLayout(none).check(false)).getMessage());
    }
}
