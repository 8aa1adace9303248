package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.MatMul;
import io.sparktts.safetensors.CheckpointException;

/**
 * LayerNorm whose affine part comes from a condition vector: {@code norm(x) * scale(c) + shift(c)} with
 * {@code scale} and {@code shift} plain linear layers of the condition (not {@code 1 + scale}).
 */
public final class AdaLayerNorm {

    private final int conditionDim;
    private final int dim;
    private final float[] scaleWeight, scaleBias, shiftWeight, shiftBias;

    private AdaLayerNorm(int conditionDim, int dim, float[] scaleWeight, float[] scaleBias, float[] shiftWeight,
                         float[] shiftBias) {
        this.conditionDim = conditionDim;
        this.dim = dim;
        this.scaleWeight = scaleWeight;
        this.scaleBias = scaleBias;
        this.shiftWeight = shiftWeight;
        this.shiftBias = shiftBias;
    }

    public static AdaLayerNorm load(Weights w, int conditionDim, int dim) throws CheckpointException {
        return new AdaLayerNorm(conditionDim, dim, w.floats("scale.weight", dim, conditionDim),
                w.floats("scale.bias", dim), w.floats("shift.weight", dim, conditionDim), w.floats("shift.bias", dim));
    }

    /** The per-channel weight ({@code scale(c)}) and bias ({@code shift(c)}) this condition gives the norm. */
    public Affine affine(float[] condition) {
        if (condition == null || condition.length != conditionDim) {
            throw new IllegalArgumentException("AdaLayerNorm needs a condition of " + conditionDim + " values, got "
                    + (condition == null ? "none" : condition.length));
        }
        float[] scale = new float[dim], shift = new float[dim];
        MatMul.linear(condition, 1, conditionDim, scaleWeight, scaleBias, dim, scale);
        MatMul.linear(condition, 1, conditionDim, shiftWeight, shiftBias, dim, shift);
        return new Affine(scale, shift);
    }

    /** A LayerNorm's elementwise weight and bias. */
    public record Affine(float[] weight, float[] bias) {}
}
