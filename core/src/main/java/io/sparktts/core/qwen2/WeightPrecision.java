package io.sparktts.core.qwen2;

/** How the LM's matrices are held in memory, chosen when loading. Norm weights and biases are float32 arrays. */
public enum WeightPrecision {
    /** As the checkpoint stores them (float32, bfloat16 or float16), used in place from the memory map: no copy. */
    STORED,
    /** Copied into memory as float32. */
    F32,
    /**
     * Rounded to bfloat16 (nearest-even, as PyTorch's {@code model.to(torch.bfloat16)}) in memory: half the bytes of
     * float32. Norm weights and biases are rounded to bfloat16 values too, so the model is the bfloat16 model.
     */
    BF16,
    /** Quantized at load to Q8_0 (blocks of 32 int8 with a float16 scale): about a quarter of float32. */
    INT8
}
