package io.sparktts.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a checkpoint: a zero-copy little-endian view of its bytes with dtype and shape.
 * The view stays valid while the {@link TensorStore} it came from is open.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Tensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String describe() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }

    /** Values converted to float; refuses integer dtypes and tensors over 2^31-1 elements. */
    public float[] toFloats() throws CheckpointException {
        int n = arrayLength();
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32, 0, out, 0, n);
            case F64 -> {
                for (int i = 0; i < n; i++) out[i] = (float) data.getAtIndex(F64, i);
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((data.getAtIndex(I16, i) & 0xFFFF) << 16);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(data.getAtIndex(I16, i));
            }
            default -> throw new CheckpointException("tensor '" + name + "' is " + dtype + ", not a floating-point type");
        }
        return out;
    }

    /** Values converted to long; refuses floating-point dtypes. */
    public long[] toLongs() throws CheckpointException {
        int n = arrayLength();
        long[] out = new long[n];
        switch (dtype) {
            case I64 -> MemorySegment.copy(data, I64, 0, out, 0, n);
            case I32 -> {
                for (int i = 0; i < n; i++) out[i] = data.getAtIndex(I32, i);
            }
            case I16 -> {
                for (int i = 0; i < n; i++) out[i] = data.getAtIndex(I16, i);
            }
            case I8 -> {
                for (int i = 0; i < n; i++) out[i] = data.get(ValueLayout.JAVA_BYTE, i);
            }
            case U8, BOOL -> {
                for (int i = 0; i < n; i++) out[i] = data.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            }
            default -> throw new CheckpointException("tensor '" + name + "' is " + dtype + ", not an integer type");
        }
        return out;
    }

    /** Values converted to int; refuses values outside the int range. */
    public int[] toInts() throws CheckpointException {
        long[] wide = toLongs();
        int[] out = new int[wide.length];
        for (int i = 0; i < wide.length; i++) {
            if (wide[i] != (int) wide[i]) {
                throw new CheckpointException("tensor '" + name + "' value " + wide[i] + " at " + i + " does not fit an int");
            }
            out[i] = (int) wide[i];
        }
        return out;
    }

    /** Checks the shape, naming the tensor and both shapes when they differ. */
    public Tensor requireShape(long... expected) throws CheckpointException {
        if (!Arrays.equals(shape, expected)) {
            throw new CheckpointException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected " + Arrays.toString(expected));
        }
        return this;
    }

    private int arrayLength() throws CheckpointException {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("tensor '" + name + "' has " + n + " elements, too many for a Java array");
        }
        return (int) n;
    }
}
