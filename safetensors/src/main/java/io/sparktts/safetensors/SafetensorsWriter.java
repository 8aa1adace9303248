package io.sparktts.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@code .safetensors} file with tensors in the order of the {@code add} calls. Values are given as Java
 * arrays and stored little-endian in the requested dtype (floats rounded to nearest-even for F16 and BF16), or as raw
 * little-endian bytes.
 */
public final class SafetensorsWriter {

    private record Pending(DType dtype, long[] shape, MemorySegment bytes) {}

    private static final long CHUNK = 1 << 24;

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer b = buffer(values.length, dtype);
        for (float v : values) {
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F64 -> b.putDouble(v);
                case F16 -> b.putShort(Float.floatToFloat16(v));
                case BF16 -> b.putShort(toBFloat16(v));
                default -> throw new IllegalArgumentException(name + ": float values cannot be stored as " + dtype);
            }
        }
        return put(name, dtype, shape, b);
    }

    public SafetensorsWriter add(String name, DType dtype, long[] shape, double[] values) {
        if (dtype != DType.F64) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return add(name, dtype, shape, f);
        }
        checkCount(name, shape, values.length);
        ByteBuffer b = buffer(values.length, dtype);
        for (double v : values) b.putDouble(v);
        return put(name, dtype, shape, b);
    }

    public SafetensorsWriter add(String name, DType dtype, long[] shape, long[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer b = buffer(values.length, dtype);
        for (long v : values) {
            switch (dtype) {
                case I64 -> b.putLong(v);
                case I32 -> b.putInt((int) checkedNarrow(name, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case I16 -> b.putShort((short) checkedNarrow(name, v, Short.MIN_VALUE, Short.MAX_VALUE));
                case I8 -> b.put((byte) checkedNarrow(name, v, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case U8 -> b.put((byte) checkedNarrow(name, v, 0, 255));
                case BOOL -> b.put((byte) checkedNarrow(name, v, 0, 1));
                default -> throw new IllegalArgumentException(name + ": integer values cannot be stored as " + dtype);
            }
        }
        return put(name, dtype, shape, b);
    }

    public SafetensorsWriter add(String name, DType dtype, long[] shape, int[] values) {
        long[] wide = new long[values.length];
        for (int i = 0; i < wide.length; i++) wide[i] = values[i];
        return add(name, dtype, shape, wide);
    }

    /** Copies a tensor's bytes unchanged (same dtype and shape), e.g. from another store. */
    public SafetensorsWriter add(Tensor tensor) {
        return put(tensor.name(), tensor.dtype(), tensor.shape(), copyOf(tensor.data()));
    }

    /**
     * Adds raw little-endian bytes by reference, without copying: the segment must stay readable until
     * {@link #write} has returned. Lets tools write files larger than the heap.
     */
    public SafetensorsWriter addBytes(String name, DType dtype, long[] shape, MemorySegment bytes) {
        long n = checkCount(name, shape, -1);
        if (Math.multiplyExact(n, dtype.byteSize()) != bytes.byteSize()) {
            throw new IllegalArgumentException(name + ": " + bytes.byteSize() + " bytes given but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + n * dtype.byteSize());
        }
        return put(name, dtype, shape, bytes);
    }

    public void write(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, ByteBuffer.wrap(header()));
            for (Pending p : tensors.values()) {
                for (long at = 0; at < p.bytes().byteSize(); at += CHUNK) {
                    writeFully(channel, p.bytes().asSlice(at, Math.min(CHUNK, p.bytes().byteSize() - at)).asByteBuffer());
                }
            }
        }
    }

    public void write(OutputStream out) throws IOException {
        out.write(header());
        byte[] chunk = new byte[1 << 20];
        for (Pending p : tensors.values()) {
            long size = p.bytes().byteSize();
            for (long at = 0; at < size; at += chunk.length) {
                int n = (int) Math.min(chunk.length, size - at);
                MemorySegment.copy(p.bytes(), ValueLayout.JAVA_BYTE, at, chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    /** The 8-byte length and the JSON header, padded with spaces to a multiple of 8 so the data stays aligned. */
    private byte[] header() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offset += e.getValue().bytes().byteSize();
            offsets.add(offset);
        }
        byte[] json8 = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json8.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json8);
        while (b.hasRemaining()) b.put((byte) ' ');
        return b.array();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static MemorySegment copyOf(MemorySegment src) {
        return MemorySegment.ofArray(src.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Round-to-nearest-even conversion, as PyTorch's {@code .to(torch.bfloat16)}; NaN stays NaN. */
    public static short toBFloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    private SafetensorsWriter put(String name, DType dtype, long[] shape, ByteBuffer bytes) {
        return put(name, dtype, shape, MemorySegment.ofArray(bytes.array()));
    }

    private SafetensorsWriter put(String name, DType dtype, long[] shape, MemorySegment bytes) {
        if (tensors.containsKey(name) || name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name '" + name + "' is already used or reserved");
        }
        tensors.put(name, new Pending(dtype, shape.clone(), bytes));
        return this;
    }

    private static ByteBuffer buffer(int count, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The element count of {@code shape}, checked against {@code count} unless that is negative. */
    private static long checkCount(String name, long[] shape, long count) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (count >= 0 && n != count) {
            throw new IllegalArgumentException(name + ": shape holds " + n + " elements but " + count + " values were given");
        }
        return n;
    }

    private static long checkedNarrow(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + ": value " + v + " does not fit in " + min + ".." + max);
        }
        return v;
    }
}
