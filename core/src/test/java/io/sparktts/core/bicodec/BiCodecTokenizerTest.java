package io.sparktts.core.bicodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparktts.core.CheckpointLayout;
import io.sparktts.core.Golden;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wav-to-tokens facade on a checkpoint folder made of the two tiny fixtures (wav2vec2 hidden 32 = BiCodec input). */
class BiCodecTokenizerTest {

    @Test
    void tokenizesAPromptFileLikeUpstream(@TempDir Path root) throws Exception {
        CheckpointLayout layout = new CheckpointLayout(root);
        Files.createDirectories(layout.bicodec());
        Files.createDirectories(layout.wav2vec2());
        Files.copy(Golden.BICODEC.resolve("config.yaml"), layout.bicodec().resolve("config.yaml"));
        Files.copy(Golden.BICODEC.resolve("model.safetensors"), layout.bicodec().resolve("model.safetensors"));
        Files.copy(Golden.WAV2VEC2.resolve("config.json"), layout.wav2vec2().resolve("config.json"));
        Files.copy(Golden.WAV2VEC2.resolve("pytorch_model.bin"), layout.wav2vec2().resolve("pytorch_model.bin"));
        Path wav = Golden.BICODEC.resolve("prompt_audio.wav");

        BiCodecTokenizer globalOnly = BiCodecTokenizer.load(layout, false);
        BiCodecTokenizer.Tokens g = globalOnly.tokenize(wav, false);
        assertNull(g.semantic());
        try (TensorStore io = TensorStore.open(Golden.BICODEC.resolve("io.safetensors"))) {
            // the prompt's reference clip is the golden ref_wav, so its global tokens are the golden ones
            assertArrayEquals(io.tensor("global_tokens").toInts(), g.global());
        }

        BiCodecTokenizer full = BiCodecTokenizer.load(layout, true);
        BiCodecTokenizer.Tokens t = full.tokenize(wav, true);
        assertArrayEquals(g.global(), t.global());
        // 159253 samples -> 497 wav2vec2 frames -> 497 semantic tokens (sample ratios [1, 1]), all codebook ids
        assertEquals(497, t.semantic().length);
        for (int id : t.semantic()) assertEquals(true, id >= 0 && id < 64, "id " + id);
    }
}
