package io.sparktts.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Reads the qwen2-tiny golden weights (see that folder's README). Expected values were read from the files
 * independently with Python's struct module; sums are sequential double additions in file order.
 */
class SafetensorsGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/qwen2-tiny");

    private static final ValueLayout.OfShort BF16_BITS =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Every tensor's shape, from the README's config: hidden 64, 2 kv heads of 16, intermediate 160, vocab 1024. */
    private static Map<String, long[]> expectedShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {1024, 64});
        shapes.put("model.norm.weight", new long[] {64});
        for (int layer = 0; layer < 3; layer++) {
            String p = "model.layers." + layer + ".";
            shapes.put(p + "self_attn.q_proj.weight", new long[] {64, 64});
            shapes.put(p + "self_attn.q_proj.bias", new long[] {64});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {32, 64});
            shapes.put(p + "self_attn.k_proj.bias", new long[] {32});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {32, 64});
            shapes.put(p + "self_attn.v_proj.bias", new long[] {32});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {64, 64});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {160, 64});
            shapes.put(p + "mlp.up_proj.weight", new long[] {160, 64});
            shapes.put(p + "mlp.down_proj.weight", new long[] {64, 160});
            shapes.put(p + "input_layernorm.weight", new long[] {64});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {64});
        }
        return shapes;
    }

    private static void assertNamesAndShapes(TensorStore store, DType dtype) throws CheckpointException {
        Map<String, long[]> expected = expectedShapes();
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(store.names()));
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = store.tensor(e.getKey());
            assertEquals(dtype, t.dtype(), e.getKey());
            assertArrayEquals(e.getValue(), t.shape(), e.getKey());
            assertEquals(t.elementCount() * dtype.byteSize(), t.data().byteSize(), e.getKey());
            assertTrue(t.data().isMapped(), e.getKey());
        }
        assertEquals(Map.of("format", "pt"), store.metadata());
    }

    private static double sequentialSum(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }

    @Test
    void float32Weights() throws Exception {
        try (TensorStore store = TensorStore.open(GOLDEN.resolve("model.safetensors"))) {
            assertInstanceOf(SafetensorsFile.class, store);
            assertNamesAndShapes(store, DType.F32);

            float[] embed = store.tensor("model.embed_tokens.weight").toFloats();
            assertEquals(-0.005585928447544575f, embed[0]);
            assertEquals(3167446847L, Integer.toUnsignedLong(Float.floatToRawIntBits(embed[1])));
            assertEquals(0.008153685368597507f, embed[2]);
            assertEquals(-0.018285205587744713f, embed[embed.length - 1]);
            assertEquals(1.3556002602725812, sequentialSum(embed));

            float[] norm = store.tensor("model.norm.weight").toFloats();
            assertEquals(0.883000910282135f, norm[0]);
            assertEquals(1.053337574005127f, norm[63]);
            assertEquals(63.290155470371246, sequentialSum(norm));

            float[] outProj = store.tensor("model.layers.2.self_attn.o_proj.weight").toFloats();
            assertEquals(0.0008070212206803262f, outProj[0]);
            assertEquals(0.025719597935676575f, outProj[outProj.length - 1]);
            assertEquals(-2.0260450452071836, sequentialSum(outProj));

            float[] qBias = store.tensor("model.layers.0.self_attn.q_proj.bias").toFloats();
            assertEquals(-0.025108737871050835f, qBias[0]);
            assertEquals(-0.30469675292260945, sequentialSum(qBias));
        }
    }

    @Test
    void bfloat16WeightsAreTheFloat32OnesRoundedToNearestEven() throws Exception {
        try (TensorStore f32 = TensorStore.open(GOLDEN.resolve("model.safetensors"));
             TensorStore bf16 = TensorStore.open(GOLDEN.resolve("model-bf16.safetensors"))) {
            assertNamesAndShapes(bf16, DType.BF16);
            for (String name : f32.names()) {
                float[] exact = f32.tensor(name).toFloats();
                Tensor rounded = bf16.tensor(name);
                float[] upcast = rounded.toFloats();
                for (int i = 0; i < exact.length; i++) {
                    short bits = rounded.data().getAtIndex(BF16_BITS, i);
                    assertEquals(SafetensorsWriter.toBFloat16(exact[i]), bits, name + "[" + i + "]");
                    assertEquals(Float.floatToRawIntBits(upcast[i]), (bits & 0xFFFF) << 16, name + "[" + i + "]");
                }
            }
            float[] norm = bf16.tensor("model.norm.weight").toFloats();
            assertEquals(0.8828125f, norm[0]);
            assertEquals(1.109375f, norm[1]);
            assertEquals(1.0546875f, norm[63]);
            assertEquals(63.26953125, sequentialSum(norm));
            assertEquals(1.3360274396836758, sequentialSum(bf16.tensor("model.embed_tokens.weight").toFloats()));
            assertEquals(-2.023291289806366,
                    sequentialSum(bf16.tensor("model.layers.2.self_attn.o_proj.weight").toFloats()));
        }
    }
}
