package io.sparktts.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer to reader and back: every dtype, metadata, copies between files, and sharded checkpoints. */
class RoundTripTest {

    @TempDir
    Path dir;

    private static final double[] DOUBLES = {0, -0.0, 1.0 / 3, -1e300, Double.MIN_VALUE, Double.NaN,
            Double.POSITIVE_INFINITY};
    private static final float[] FLOATS = {0, -0.0f, 1.0f / 3, -3e38f, Float.MIN_VALUE, Float.NaN,
            Float.NEGATIVE_INFINITY, 65504, 1e-8f};

    private static SafetensorsWriter everyDtype() {
        return new SafetensorsWriter()
                .metadata("format", "pt").metadata("ünïcode ✓", "line\nbreak \"quoted\"")
                .add("f64", DType.F64, new long[] {7}, DOUBLES)
                .add("f32", DType.F32, new long[] {3, 3}, FLOATS)
                .add("f16", DType.F16, new long[] {9}, FLOATS)
                .add("bf16", DType.BF16, new long[] {9, 1}, FLOATS)
                .add("i64", DType.I64, new long[] {3}, new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE})
                .add("i32", DType.I32, new long[] {3}, new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE})
                .add("i16", DType.I16, new long[] {2}, new long[] {Short.MIN_VALUE, Short.MAX_VALUE})
                .add("i8", DType.I8, new long[] {2}, new long[] {-128, 127})
                .add("u8", DType.U8, new long[] {3}, new long[] {0, 128, 255})
                .add("bool", DType.BOOL, new long[] {2}, new long[] {1, 0})
                .add("scalar", DType.F32, new long[] {}, new float[] {42})
                .add("empty", DType.I64, new long[] {2, 0}, new long[0]);
    }

    @Test
    void everyDtypeAndTheMetadataComeBackUnchanged() throws Exception {
        Path file = dir.resolve("all.safetensors");
        everyDtype().write(file);
        try (TensorStore store = TensorStore.open(file)) {
            assertInstanceOf(SafetensorsFile.class, store);
            assertEquals(List.of("f64", "f32", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "bool", "scalar",
                    "empty"), List.copyOf(store.names()));
            assertEquals(Map.of("format", "pt", "ünïcode ✓", "line\nbreak \"quoted\""), store.metadata());

            Tensor f64 = store.tensor("f64");
            assertEquals(DType.F64, f64.dtype());
            assertArrayEquals(new long[] {7}, f64.shape());
            for (int i = 0; i < DOUBLES.length; i++) {
                assertEquals(Double.doubleToRawLongBits(DOUBLES[i]), f64.data().getAtIndex(
                        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i), "f64[" + i + "]");
            }
            assertArrayEquals(new long[] {3, 3}, store.tensor("f32").shape());
            assertBitsEqual(FLOATS, store.tensor("f32").toFloats());

            float[] half = new float[FLOATS.length];
            float[] brain = new float[FLOATS.length];
            for (int i = 0; i < FLOATS.length; i++) {
                half[i] = Float.float16ToFloat(Float.floatToFloat16(FLOATS[i]));
                brain[i] = Float.intBitsToFloat(SafetensorsWriter.toBFloat16(FLOATS[i]) << 16);
            }
            assertBitsEqual(half, store.tensor("f16").toFloats());
            assertBitsEqual(brain, store.tensor("bf16").toFloats());
            assertEquals(65504f, store.tensor("f16").toFloats()[7]);
            assertEquals(0x3EAB, SafetensorsWriter.toBFloat16(1.0f / 3) & 0xFFFF); // 0x3EAAAAAB rounds up

            assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, store.tensor("i64").toLongs());
            assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, store.tensor("i32").toInts());
            assertArrayEquals(new long[] {Short.MIN_VALUE, Short.MAX_VALUE}, store.tensor("i16").toLongs());
            assertArrayEquals(new long[] {-128, 127}, store.tensor("i8").toLongs());
            assertArrayEquals(new long[] {0, 128, 255}, store.tensor("u8").toLongs());
            assertArrayEquals(new long[] {1, 0}, store.tensor("bool").toLongs());
            assertArrayEquals(new long[] {}, store.tensor("scalar").shape());
            assertArrayEquals(new float[] {42}, store.tensor("scalar").toFloats());
            assertArrayEquals(new long[] {2, 0}, store.tensor("empty").shape());
            assertEquals(0, store.tensor("empty").data().byteSize());
        }
    }

    @Test
    void headerIsPaddedSoTheDataStaysAligned() throws Exception {
        Path file = dir.resolve("aligned.safetensors");
        everyDtype().write(file);
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = head.getLong(0);
        assertEquals(0, headerLength % 8);
        String header = new String(head.array(), 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals('{', header.charAt(0));
        assertEquals("", header.substring(header.lastIndexOf('}') + 1).replace(" ", "")); // padded with spaces
    }

    @Test
    void copyingEveryTensorReproducesTheFileByteForByte() throws Exception {
        Path original = dir.resolve("a.safetensors");
        everyDtype().write(original);
        Path copy = dir.resolve("b.safetensors");
        try (TensorStore store = TensorStore.open(original)) {
            SafetensorsWriter writer = new SafetensorsWriter();
            store.metadata().forEach(writer::metadata);
            for (String name : store.names()) {
                writer.add(store.tensor(name));
            }
            writer.write(copy);
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            writer.write(streamed);
            assertArrayEquals(Files.readAllBytes(original), streamed.toByteArray());
        }
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    @Test
    void writerRefusesValuesItCannotStore() {
        SafetensorsWriter writer = new SafetensorsWriter();
        assertEquals("x: shape holds 6 elements but 5 values were given", assertThrows(IllegalArgumentException.class,
                () -> writer.add("x", DType.F32, new long[] {2, 3}, new float[5])).getMessage());
        assertEquals("x: value 256 does not fit in 0..255", assertThrows(IllegalArgumentException.class,
                () -> writer.add("x", DType.U8, new long[] {1}, new long[] {256})).getMessage());
        assertEquals("x: float values cannot be stored as I32", assertThrows(IllegalArgumentException.class,
                () -> writer.add("x", DType.I32, new long[] {1}, new float[1])).getMessage());
        assertEquals("tensor name '__metadata__' is already used or reserved", assertThrows(
                IllegalArgumentException.class,
                () -> writer.add("__metadata__", DType.F32, new long[] {1}, new float[1])).getMessage());
    }

    @Test
    void shardedCheckpointOpensAsOne() throws Exception {
        new SafetensorsWriter().add("a.weight", DType.F32, new long[] {2}, new float[] {1, 2})
                .add("b.weight", DType.BF16, new long[] {1}, new float[] {0.5f})
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().add("c.ids", DType.I64, new long[] {2}, new long[] {5, 6})
                .write(dir.resolve("model-00002-of-00002.safetensors"));
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, """
                {"metadata": {"total_size": 20},
                 "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                "c.ids": "model-00002-of-00002.safetensors",
                                "b.weight": "model-00001-of-00002.safetensors"}}""");
        try (TensorStore store = TensorStore.open(index)) {
            assertInstanceOf(ShardedSafetensors.class, store);
            assertEquals(index, store.path());
            assertEquals(List.of("a.weight", "c.ids", "b.weight"), List.copyOf(store.names()));
            assertEquals(Map.of("total_size", "20"), store.metadata());
            assertArrayEquals(new float[] {1, 2}, store.tensor("a.weight").toFloats());
            assertArrayEquals(new float[] {0.5f}, store.tensor("b.weight").toFloats());
            assertArrayEquals(new long[] {5, 6}, store.tensor("c.ids").toLongs());
            assertEquals(index + ": tensor 'd': no such tensor",
                    assertThrows(CheckpointException.class, () -> store.tensor("d")).getMessage());
        }
    }

    @Test
    void shardedIndexProblemsNameTheIndexAndTheTensor() throws Exception {
        new SafetensorsWriter().add("a", DType.F32, new long[] {1}, new float[] {1})
                .write(dir.resolve("one.safetensors"));
        Path index = dir.resolve("x.safetensors.index.json");

        Files.writeString(index, "{\"weight_map\": {\"a\": \"one.safetensors\", \"z\": \"one.safetensors\"}}");
        assertEquals(dir.resolve("one.safetensors").toAbsolutePath() + ": tensor 'z': listed in "
                + "x.safetensors.index.json but absent", openFailure(index));

        Files.writeString(index, "{\"weight_map\": {\"a\": \"../one.safetensors\"}}");
        assertEquals(index + ": tensor 'a': shard \"../one.safetensors\" is not a file beside the index",
                openFailure(index));

        Files.writeString(index, "{\"weight_map\": {\"a\": \"two.safetensors\"}}");
        assertEquals(dir.resolve("two.safetensors").toAbsolutePath() + ": no such file", openFailure(index));

        Files.writeString(index, "{\"weights\": {}}");
        assertEquals(index + ": index has no weight_map object", openFailure(index));
    }

    private static String openFailure(Path index) {
        return assertThrows(CheckpointException.class, () -> TensorStore.open(index).close()).getMessage();
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "[" + i + "]");
        }
    }
}
