package io.sparktts.core.bicodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparktts.core.SparkTtsException;
import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints and configs that do not fit are refused, naming the tensor or key. */
class BiCodecCheckpointTest {

    static final Path FIXTURE = BiCodecDecoderGoldenTest.DIR;

    @TempDir
    Path tmp;

    /** A copy of the fixture folder whose checkpoint lacks {@code drop} and has {@code reshaped} as [2, 3]. */
    private Path damaged(String drop, String reshaped) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("BiCodec"));
        Files.copy(FIXTURE.resolve("config.yaml"), dir.resolve("config.yaml"));
        try (TensorStore in = TensorStore.open(FIXTURE.resolve("model.safetensors"))) {
            SafetensorsWriter out = new SafetensorsWriter();
            for (String name : in.names()) {
                if (name.equals(drop)) continue;
                if (name.equals(reshaped)) {
                    out.add(name, DType.F32, new long[] {2, 3}, new float[6]);
                } else {
                    out.add(in.tensor(name));
                }
            }
            out.write(dir.resolve("model.safetensors"));
        }
        return dir;
    }

    @Test
    void refusesAMissingTensor() throws Exception {
        Path dir = damaged("decoder.model.2.block.3.block.1.weight_v", null);
        CheckpointException e = assertThrows(CheckpointException.class, () -> BiCodecDecoder.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": missing tensor 'decoder.model.2.block.3.block.1.weight_v'",
                e.getMessage());
    }

    @Test
    void refusesAWrongShape() throws Exception {
        Path dir = damaged(null, "prenet.vocos_backbone.convnext.1.norm.scale.weight");
        CheckpointException e = assertThrows(CheckpointException.class, () -> BiCodecDecoder.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": tensor 'prenet.vocos_backbone.convnext.1.norm.scale.weight'"
                + " has shape [2, 3], expected [16, 24]", e.getMessage());
    }

    @Test
    void refusesAConfigWhosePartsDisagree() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("wired"));
        Files.writeString(dir.resolve("config.yaml"), Files.readString(FIXTURE.resolve("config.yaml"))
                .replace("    condition_dim: 24\n", "    condition_dim: 20\n"));
        Files.copy(FIXTURE.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        SparkTtsException e = assertThrows(SparkTtsException.class, () -> BiCodecDecoder.load(dir));
        assertEquals("BiCodec config: audio_tokenizer.speaker_encoder.out_dim (24) must equal"
                + " audio_tokenizer.prenet.condition_dim (20)", e.getMessage());
    }

    @Test
    void refusesTokensOutsideTheCodebooks() throws Exception {
        BiCodecDecoder d = BiCodecDecoder.load(FIXTURE);
        SparkTtsException e = assertThrows(SparkTtsException.class,
                () -> d.decode(new int[] {1, 64, 2}, new int[] {1, 2, 3, 4}));
        assertEquals("semantic token 64 at position 1 is outside 0..63", e.getMessage());
        e = assertThrows(SparkTtsException.class, () -> d.decode(new int[] {1, 2}, new int[] {1, 2, 4096, 4}));
        assertEquals("global token 4096 at position 2 is outside 0..4095", e.getMessage());
        e = assertThrows(SparkTtsException.class, () -> d.decode(new int[] {1, 2}, new int[] {1, 2, 3}));
        assertEquals("expected 4 global tokens, got 3", e.getMessage());
        e = assertThrows(SparkTtsException.class, () -> d.decode(new int[0], new int[] {1, 2, 3, 4}));
        assertEquals("no semantic tokens to decode", e.getMessage());
    }
}
