package io.sparktts.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@code .safetensors} file in memory order of {@code add} calls. Values are given as Java arrays and
 * stored little-endian in the requested dtype (floats rounded to nearest-even for F16 and BF16).
 */
public final class SafetensorsWriter {

    private record Pending(DType dtype, long[] shape, byte[] bytes) {}

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
                case I32 -> b.putInt(Math.toIntExact(v));
                case I16 -> b.putShort(checkedNarrow(name, v, Short.MIN_VALUE, Short.MAX_VALUE));
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
        MemorySegment src = tensor.data();
        return put(tensor.name(), tensor.dtype(), tensor.shape(), ByteBuffer.wrap(src.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
    }

    public void write(OutputStream out) throws IOException {
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
            offset += e.getValue().bytes().length;
            offsets.add(offset);
        }
        byte[] headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) & ~7;
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(headerBytes);
        for (int i = headerBytes.length; i < padded; i++) out.write(' ');
        for (Pending p : tensors.values()) out.write(p.bytes());
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
        if (tensors.containsKey(name) || name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name '" + name + "' is already used or reserved");
        }
        tensors.put(name, new Pending(dtype, shape.clone(), bytes.array()));
        return this;
    }

    private static ByteBuffer buffer(int count, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkCount(String name, long[] shape, int count) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        if (n != count) {
            throw new IllegalArgumentException(name + ": shape holds " + n + " elements but " + count + " values were given");
        }
    }

    private static short checkedNarrow(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + ": value " + v + " does not fit");
        }
        return (short) v;
    }
}
