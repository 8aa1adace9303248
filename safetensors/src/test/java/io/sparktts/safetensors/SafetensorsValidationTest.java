package io.sparktts.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per way a safetensors file can be malformed; each asserts the exact message. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    private Path file(long headerLength, byte[] header, int dataBytes) throws Exception {
        Path f = dir.resolve("bad.safetensors");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
        out.writeBytes(header);
        out.writeBytes(new byte[dataBytes]);
        Files.write(f, out.toByteArray());
        return f;
    }

    private Path file(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, dataBytes);
    }

    private static String message(Path f) {
        return assertThrows(CheckpointException.class, () -> TensorStore.open(f).close()).getMessage();
    }

    private static final String W = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void valid() throws Exception {
        try (TensorStore s = TensorStore.open(file(W + "}", 8))) {
            assertEquals(2, s.tensor("w").toFloats().length);
        }
    }

    @Test
    void headerLengthBeyondTheFile() throws Exception {
        Path f = file(1000, "{}".getBytes(StandardCharsets.US_ASCII), 0);
        assertEquals(f + ": header length 1000 runs past the end of the 10-byte file", message(f));
    }

    @Test
    void absurdHeaderLength() throws Exception {
        Path f = file(1L << 40, "{}".getBytes(StandardCharsets.US_ASCII), 0);
        assertEquals(f + ": header length 1099511627776 is not between 2 and 104857600", message(f));
        Path g = file(-5, "{}".getBytes(StandardCharsets.US_ASCII), 0);
        assertEquals(g + ": header length -5 is not between 2 and 104857600", message(g));
    }

    @Test
    void fileShorterThanTheLengthField() throws Exception {
        Path f = dir.resolve("tiny.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertEquals(f + ": file of 3 bytes is too short for a safetensors header", message(f));
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] h = "{\"w\":{}}".getBytes(StandardCharsets.US_ASCII);
        h[2] = (byte) 0xC3; // a lead byte followed by ASCII
        Path f = file(h.length, h, 0);
        assertEquals(f + ": header is not valid UTF-8", message(f));
    }

    @Test
    void invalidJson() throws Exception {
        Path f = file("{\"w\": [1, 2}", 0);
        assertTrue(message(f).startsWith(f + ": header is not valid JSON: Unexpected close marker '}'"), message(f));
        Path g = file("[1, 2]", 0);
        assertEquals(g + ": header is not a JSON object", message(g));
        Path h = file("{} {}", 0);
        assertEquals(h + ": header has content after its JSON object", message(h));
    }

    @Test
    void missingFields() throws Exception {
        Path f = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8);
        assertEquals(f + ": tensor 'w': entry lacks one of dtype, shape, data_offsets", message(f));
        Path g = file("{\"w\":[1]}", 8);
        assertEquals(g + ": tensor 'w': entry is not an object", message(g));
    }

    @Test
    void unknownDtype() throws Exception {
        Path f = file("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertEquals(f + ": tensor 'w': unknown dtype 'Q4'", message(f));
    }

    @Test
    void badShapeEntries() throws Exception {
        Path f = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", 8);
        assertEquals(f + ": tensor 'w': shape entry -1 is not a non-negative integer", message(f));
        Path g = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8);
        assertEquals(g + ": tensor 'w': shape entry 2.5 is not a non-negative integer", message(g));
    }

    @Test
    void shapeProductOverflow() throws Exception {
        Path f = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,8]}}", 8);
        assertEquals(f + ": tensor 'w': shape [4294967296,4294967296,16] overflows 64 bits", message(f));
        Path g = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}}", 8);
        assertEquals(g + ": tensor 'w': shape [4611686018427387904] overflows 64 bits", message(g));
    }

    @Test
    void byteLengthDisagreesWithShape() throws Exception {
        Path f = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertEquals(f + ": tensor 'w': holds 8 bytes but shape [3] of F32 needs 12", message(f));
    }

    @Test
    void offsetsOutOfRange() throws Exception {
        Path f = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        assertEquals(f + ": tensor 'w': data_offsets [0, 16] lie outside the 8 data bytes", message(f));
        Path g = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8);
        assertEquals(g + ": tensor 'w': data_offsets [8, 4] lie outside the 8 data bytes", message(g));
        Path h = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8);
        assertEquals(h + ": tensor 'w': data_offsets [0] is not a pair of integers", message(h));
    }

    @Test
    void overlappingTensors() throws Exception {
        // "c" overlaps "a" though not its neighbour "b" in offset order
        Path f = file("{\"a\":{\"dtype\":\"U8\",\"shape\":[10],\"data_offsets\":[0,10]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]},"
                + "\"c\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[6,8]}}", 10);
        assertEquals(f + ": tensor 'b': data_offsets [2, 4] overlap those of tensor 'a'", message(f));
        Path g = file("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                + "\"e\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[2,2]},"
                + "\"c\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[5,9]},"
                + "\"d\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[8,10]}}", 10);
        assertEquals(g + ": tensor 'd': data_offsets [8, 10] overlap those of tensor 'c'", message(g));
    }

    @Test
    void duplicateNames() throws Exception {
        Path f = file(W + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertEquals(f + ": tensor 'w': name appears twice in the header", message(f));
        Path g = file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertTrue(message(g).startsWith(g + ": header is not valid JSON: Duplicate field 'dtype'"), message(g));
    }

    @Test
    void badMetadata() throws Exception {
        Path f = file("{\"__metadata__\":{\"format\":1}}", 0);
        assertEquals(f + ": __metadata__ value for 'format' is not a string", message(f));
        Path g = file("{\"__metadata__\":{},\"__metadata__\":{}}", 0);
        assertEquals(g + ": header has two __metadata__ entries", message(g));
    }

    @Test
    void truncatedFile() throws Exception {
        Path good = dir.resolve("good.safetensors");
        new SafetensorsWriter().add("a", DType.F32, new long[] {4}, new float[4])
                .add("b", DType.I64, new long[] {2}, new long[2]).write(good);
        byte[] all = Files.readAllBytes(good);
        Path f = dir.resolve("cut.safetensors");
        Files.write(f, Arrays.copyOf(all, all.length - 3));
        assertEquals(f + ": tensor 'b': data_offsets [16, 32] lie outside the 29 data bytes", message(f));
        Files.write(f, Arrays.copyOf(all, 20));
        assertEquals(f + ": header length " + (all.length - 40) + " runs past the end of the 20-byte file", message(f));
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.safetensors");
        assertEquals(f + ": no such file", message(f));
    }
}
