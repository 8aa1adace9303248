package io.sparktts.core.qwen2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Qwen2BadInputTest {
    @TempDir
    Path tmp;

    static Qwen2Config config() throws Exception {
        return Qwen2Config.read(Qwen2GoldenTest.DIR.resolve("config.json"));
    }

    /** The fixture's weights with one tensor dropped or replaced. */
    Path brokenCopy(String name, Tensor replacement) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        try (TensorStore s = TensorStore.open(Qwen2GoldenTest.DIR.resolve("model.safetensors"))) {
            for (String n : s.names()) {
                if (!n.equals(name)) {
                    w.add(s.tensor(n));
                } else if (replacement != null) {
                    w.add(replacement);
                }
            }
        }
        Path file = tmp.resolve("broken.safetensors");
        w.write(file);
        return file;
    }

    @Test
    void missingOrMisshapenTensorsAreNamed() throws Exception {
        Path missing = brokenCopy("model.layers.1.mlp.up_proj.weight", null);
        String m = assertThrows(CheckpointException.class, () -> Qwen2Model.load(config(), missing, WeightPrecision.F32)).getMessage();
        assertTrue(m.contains("model.layers.1.mlp.up_proj.weight"), m);
        Tensor bias;
        try (TensorStore s = TensorStore.open(Qwen2GoldenTest.DIR.resolve("model.safetensors"))) {
            Tensor t = s.tensor("model.layers.0.self_attn.q_proj.bias");
            bias = new Tensor("model.layers.0.self_attn.k_proj.bias", t.dtype(), t.shape(), java.lang.foreign.MemorySegment.ofArray(t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        }
        Path misshapen = brokenCopy("model.layers.0.self_attn.k_proj.bias", bias);
        assertEquals("tensor 'model.layers.0.self_attn.k_proj.bias' has shape [64], expected [32]",
                assertThrows(CheckpointException.class, () -> Qwen2Model.load(config(), misshapen, WeightPrecision.STORED)).getMessage());
        assertTrue(assertThrows(Exception.class, () -> Qwen2Model.load(tmp, WeightPrecision.F32)).getMessage()
                .contains("no model.safetensors"));
    }

    @Test
    void badTokensAndFullSessionsAreRefused() throws Exception {
        try (Qwen2Model model = Qwen2Model.load(Qwen2GoldenTest.DIR, WeightPrecision.STORED)) {
            Qwen2Session s = model.newSession(4);
            float[] logits = new float[1024];
            assertEquals("token id 1024 at 1 is outside the vocabulary 0..1023",
                    assertThrows(IllegalArgumentException.class, () -> s.prefill(new int[] {1, 1024}, logits)).getMessage());
            assertEquals(0, s.position(), "a refused prompt leaves the cache unchanged");
            s.prefill(new int[] {1, 2, 3}, logits);
            s.decode(4, logits);
            assertEquals("session is full: 4 cached + 1 new tokens exceed the capacity of 4",
                    assertThrows(IllegalStateException.class, () -> s.decode(5, logits)).getMessage());
            assertEquals("session capacity 0 is outside 1..32768 (max_position_embeddings)",
                    assertThrows(IllegalArgumentException.class, () -> model.newSession(0)).getMessage());
            assertEquals("row id 5000 at 1 is outside 0..1023",
                    assertThrows(IllegalArgumentException.class, () -> {
                        s.reset();
                        s.decode(1, io.sparktts.core.sampling.LogitsRestriction.of(3, 5000), new float[2]);
                    }).getMessage());
            assertTrue(Files.exists(Qwen2GoldenTest.DIR.resolve("config.json")));
        }
    }
}
