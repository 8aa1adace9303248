package io.sparktts.kernels;

/** How a {@link WeightMatrix} stores its values. */
public enum WeightFormat {
    /** IEEE float32, little-endian. */
    F32,
    /** bfloat16 (the upper half of a float32), little-endian. */
    BF16,
    /** IEEE float16, little-endian. */
    F16,
    /** Blocks of 32 signed bytes along a row, each block with one float16 scale (value = byte * scale). */
    Q8_0
}
