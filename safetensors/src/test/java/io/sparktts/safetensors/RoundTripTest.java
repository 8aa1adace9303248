package io.sparktts.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {

    @TempDir
    Path dir;

    static final float[] FLOATS = {0f, -0f, 1.5f, -2.25f, 65504f, 1e-8f, Float.POSITIVE_INFINITY, Float.NaN, 3.14159265f};

    @Test
    void everyDtypeAndTheMetadataSurviveWriteAndRead() throws Exception {
        long[] ints = {0, 1, -1, 127, -128, 42, 100, -7};
        Path file = dir.resolve("all.safetensors");
        new SafetensorsWriter().metadata("format", "pt").metadata("note", "ünïcode ✓")
                .add("f32", DType.F32, new long[] {3, 3}, FLOATS)
                .add("f64", DType.F64, new long[] {3}, new double[] {Math.PI, -1e300, Double.MIN_VALUE})
                .add("f16", DType.F16, new long[] {9}, FLOATS)
                .add("bf16", DType.BF16, new long[] {9}, FLOATS)
                .add("i64", DType.I64, new long[] {2}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE})
                .add("i32", DType.I32, new long[] {2, 4}, new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 5, 6, 7})
                .add("i16", DType.I16, new long[] {2}, new long[] {Short.MIN_VALUE, Short.MAX_VALUE})
                .add("i8", DType.I8, new long[] {8}, ints)
                .add("u8", DType.U8, new long[] {3}, new long[] {0, 128, 255})
                .add("bool", DType.BOOL, new long[] {2}, new long[] {1, 0})
                .add("scalar", DType.F32, new long[] {}, new float[] {7})
                .add("empty", DType.F32, new long[] {0, 5}, new float[0])
                .write(file);
        try (TensorStore s = TensorStore.open(file)) {
            assertEquals(Map.of("format", "pt", "note", "ünïcode ✓"), s.metadata());
            assertEquals(List.of("f32", "f64", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "bool", "scalar", "empty"),
                    List.copyOf(s.names()));
            Tensor f32 = s.tensor("f32");
            assertEquals(DType.F32, f32.dtype());
            assertArrayEquals(new long[] {3, 3}, f32.shape());
            assertArrayEquals(FLOATS, f32.toFloats());
            assertArrayEquals(new float[] {(float) Math.PI, Float.NEGATIVE_INFINITY, 0f}, s.tensor("f64").toFloats());
            assertEquals(Math.PI, s.tensor("f64").data().getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, 0));
            float[] f16 = s.tensor("f16").toFloats();
            float[] bf16 = s.tensor("bf16").toFloats();
            for (int i = 0; i < FLOATS.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(FLOATS[i])), f16[i], "f16 " + i);
                assertEquals(Float.intBitsToFloat((SafetensorsWriter.toBFloat16(FLOATS[i]) & 0xFFFF) << 16), bf16[i], "bf16 " + i);
            }
            assertEquals(65504f, f16[4]);
            assertEquals(3.140625f, bf16[8]);
            assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, s.tensor("i64").toLongs());
            assertArrayEquals(new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 5, 6, 7}, s.tensor("i32").toInts());
            assertArrayEquals(new long[] {Short.MIN_VALUE, Short.MAX_VALUE}, s.tensor("i16").toLongs());
            assertArrayEquals(ints, s.tensor("i8").toLongs());
            assertArrayEquals(new long[] {0, 128, 255}, s.tensor("u8").toLongs());
            assertArrayEquals(new int[] {1, 0}, s.tensor("bool").toInts());
            assertEquals(0, s.tensor("scalar").rank());
            assertArrayEquals(new float[] {7}, s.tensor("scalar").toFloats());
            assertEquals(0, s.tensor("empty").toFloats().length);
            assertEquals(0, Math.floorMod(s.tensor("i64").data().address(), 8), "data stays 8-byte aligned");

            // copying tensors through a second writer reproduces the file byte for byte
            SafetensorsWriter copy = new SafetensorsWriter().metadata("format", "pt").metadata("note", "ünïcode ✓");
            for (String name : s.names()) copy.add(s.tensor(name));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            copy.write(bytes);
            assertArrayEquals(Files.readAllBytes(file), bytes.toByteArray());
        }
    }

    @Test
    void rawBytesAreWrittenByReferenceAndChecked() throws Exception {
        Path file = dir.resolve("raw.safetensors");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(16);
            for (int i = 0; i < 16; i++) block.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            SafetensorsWriter w = new SafetensorsWriter().addBytes("a", DType.I32, new long[] {4}, block)
                    .addBytes("b", DType.U8, new long[] {2, 8}, block);
            assertThrows(IllegalArgumentException.class, () -> w.addBytes("c", DType.F32, new long[] {5}, block));
            w.write(file);
        }
        try (TensorStore s = TensorStore.open(file)) {
            assertArrayEquals(new long[] {0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c}, s.tensor("a").toLongs());
            assertEquals(15, s.tensor("b").toLongs()[15]);
        }
    }

    @Test
    void writerRefusesValuesThatDoNotFit() {
        SafetensorsWriter w = new SafetensorsWriter();
        assertEquals("x: value 256 does not fit in 0..255",
                assertThrows(IllegalArgumentException.class, () -> w.add("x", DType.U8, new long[] {1}, new long[] {256})).getMessage());
        assertEquals("x: value 4294967296 does not fit in -2147483648..2147483647",
                assertThrows(IllegalArgumentException.class, () -> w.add("x", DType.I32, new long[] {1}, new long[] {1L << 32})).getMessage());
        assertEquals("x: shape holds 6 elements but 5 values were given",
                assertThrows(IllegalArgumentException.class, () -> w.add("x", DType.F32, new long[] {2, 3}, new float[5])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.add("x", DType.I64, new long[] {1}, new float[1]));
        w.add("x", DType.F32, new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> w.add("x", DType.F32, new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", DType.F32, new long[] {1}, new float[1]));
    }

    @Test
    void conversionsRefuseTheWrongKind() throws Exception {
        Path file = dir.resolve("kinds.safetensors");
        new SafetensorsWriter().add("f", DType.F32, new long[] {1}, new float[1])
                .add("i", DType.I64, new long[] {1}, new long[] {1L << 33}).write(file);
        try (TensorStore s = TensorStore.open(file)) {
            assertEquals("tensor 'f' is F32, not an integer type",
                    assertThrows(CheckpointException.class, () -> s.tensor("f").toLongs()).getMessage());
            assertEquals("tensor 'i' is I64, not a floating-point type",
                    assertThrows(CheckpointException.class, () -> s.tensor("i").toFloats()).getMessage());
            assertEquals("tensor 'i' value 8589934592 at 0 does not fit an int",
                    assertThrows(CheckpointException.class, () -> s.tensor("i").toInts()).getMessage());
            assertEquals("tensor 'f' has shape [1], expected [2]",
                    assertThrows(CheckpointException.class, () -> s.tensor("f").requireShape(2)).getMessage());
            assertEquals(file + ": tensor 'g': no such tensor",
                    assertThrows(CheckpointException.class, () -> s.tensor("g")).getMessage());
        }
    }

    @Test
    void shardedCheckpointOpensAsOne() throws Exception {
        new SafetensorsWriter().metadata("format", "pt").add("a", DType.F32, new long[] {2}, new float[] {1, 2})
                .add("b", DType.I64, new long[] {1}, new long[] {9}).write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().add("c", DType.BF16, new long[] {1}, new float[] {0.5f})
                .write(dir.resolve("model-00002-of-00002.safetensors"));
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, """
                {"metadata": {"total_size": 22},
                 "weight_map": {"a": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors",
                                "b": "model-00001-of-00002.safetensors"}}""");
        try (TensorStore s = TensorStore.open(index)) {
            assertInstanceOf(ShardedSafetensors.class, s);
            assertEquals(List.of("a", "c", "b"), List.copyOf(s.names()));
            assertEquals(Map.of("total_size", "22"), s.metadata());
            assertArrayEquals(new float[] {1, 2}, s.tensor("a").toFloats());
            assertArrayEquals(new long[] {9}, s.tensor("b").toLongs());
            assertArrayEquals(new float[] {0.5f}, s.tensor("c").toFloats());
            assertEquals(index + ": tensor 'd': no such tensor",
                    assertThrows(CheckpointException.class, () -> s.tensor("d")).getMessage());
        }
    }

    @Test
    void shardIndexProblemsNameTheIndexOrShard() throws Exception {
        new SafetensorsWriter().add("a", DType.F32, new long[] {1}, new float[1]).write(dir.resolve("s1.safetensors"));
        Path index = dir.resolve("m.safetensors.index.json");
        Files.writeString(index, "{\"weight_map\": {\"z\": \"s1.safetensors\"}}");
        assertEquals(dir.resolve("s1.safetensors").toAbsolutePath() + ": tensor 'z': listed in m.safetensors.index.json but absent",
                assertThrows(CheckpointException.class, () -> TensorStore.open(index)).getMessage());
        Files.writeString(index, "{\"weight_map\": {\"a\": \"../s1.safetensors\"}}");
        assertEquals(index + ": tensor 'a': shard \"../s1.safetensors\" is not a file beside the index",
                assertThrows(CheckpointException.class, () -> TensorStore.open(index)).getMessage());
        Files.writeString(index, "{\"weights\": {}}");
        assertEquals(index + ": index has no weight_map object",
                assertThrows(CheckpointException.class, () -> TensorStore.open(index)).getMessage());
        Files.writeString(index, "{\"weight_map\": {\"a\": \"s1.safetensors\", \"a\": \"s1.safetensors\"}}");
        assertTrue(assertThrows(CheckpointException.class, () -> TensorStore.open(index)).getMessage()
                .startsWith(index + ": index is not valid JSON: Duplicate field 'a'"));
    }
}
