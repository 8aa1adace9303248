package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.MatMul;
import io.sparktts.safetensors.CheckpointException;
import java.util.List;

/**
 * Residual finite scalar quantization: {@code numQuantizers} FSQ stages over {@code levels.size()} dimensions,
 * stage {@code i} working at scale {@code (levels - 1)^-i}, with linear projections in and out of the {@code dim}
 * space when it differs from the code dimension. Vectors are rows {@code [n][dim]}; indices are {@code [n][q]}.
 */
public final class ResidualFSQ {

    private final int[] levels;
    private final int[] basis;
    private final int numQuantizers;
    private final int dim;
    private final int codeDim;
    private final int codebookSize;
    private final float[] projectInWeight, projectInBias, projectOutWeight, projectOutBias;
    private final float[] halfL, offset, shift;

    private ResidualFSQ(List<Integer> levels, int numQuantizers, int dim, float[] inW, float[] inB, float[] outW,
                        float[] outB) {
        this.levels = levels.stream().mapToInt(Integer::intValue).toArray();
        this.numQuantizers = numQuantizers;
        this.dim = dim;
        this.codeDim = this.levels.length;
        basis = new int[codeDim];
        int size = 1;
        for (int d = 0; d < codeDim; d++) {
            basis[d] = size;
            size *= this.levels[d];
        }
        codebookSize = size;
        projectInWeight = inW;
        projectInBias = inB;
        projectOutWeight = outW;
        projectOutBias = outB;
        // bound() constants, in float as upstream computes them.
        halfL = new float[codeDim];
        offset = new float[codeDim];
        shift = new float[codeDim];
        for (int d = 0; d < codeDim; d++) {
            halfL[d] = (float) (this.levels[d] - 1) * (1f + 1e-3f) / 2f;
            offset[d] = this.levels[d] % 2 == 0 ? 0.5f : 0f;
            shift[d] = (float) atanh(offset[d] / halfL[d]);
        }
    }

    /** Reads {@code project_in} / {@code project_out} (present when {@code dim} differs from the code dim). */
    public static ResidualFSQ load(Weights w, List<Integer> levels, int numQuantizers, int dim)
            throws CheckpointException {
        int codeDim = levels.size();
        if (codeDim == dim) {
            return new ResidualFSQ(levels, numQuantizers, dim, null, null, null, null);
        }
        return new ResidualFSQ(levels, numQuantizers, dim, w.floats("project_in.weight", codeDim, dim),
                w.floats("project_in.bias", codeDim), w.floats("project_out.weight", dim, codeDim),
                w.floats("project_out.bias", dim));
    }

    public int codebookSize() {
        return codebookSize;
    }

    public int numQuantizers() {
        return numQuantizers;
    }

    /**
     * Indices {@code [n][numQuantizers]} to the summed, scaled codes after the output projection, {@code [n][dim]}
     * (upstream {@code get_output_from_indices}).
     */
    public float[] indicesToOutput(int[] indices, int n) throws SparkTtsException {
        if (indices.length != n * numQuantizers) {
            throw new SparkTtsException("expected " + n * numQuantizers + " FSQ indices, got " + indices.length);
        }
        float[] codes = new float[n * codeDim];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < numQuantizers; q++) {
                int index = indices[i * numQuantizers + q];
                if (index < 0 || index >= codebookSize) {
                    throw new SparkTtsException("global token " + index + " at position " + i + " is outside 0.."
                            + (codebookSize - 1));
                }
                for (int d = 0; d < codeDim; d++) {
                    int halfWidth = levels[d] / 2;
                    int level = (index / basis[d]) % levels[d];
                    float code = (float) (level - halfWidth) / halfWidth;
                    codes[i * codeDim + d] += code * scale(q, d);
                }
            }
        }
        if (projectOutWeight == null) return codes;
        float[] out = new float[n * dim];
        MatMul.linear(codes, n, codeDim, projectOutWeight, projectOutBias, dim, out);
        return out;
    }

    /**
     * Rows {@code x [n][dim]} to indices {@code [n][numQuantizers]}: input projection, then per stage bound, round
     * half to even, index, and subtract the stage's scaled code from the residual.
     */
    public int[] quantize(float[] x, int n) {
        float[] z;
        if (projectInWeight == null) {
            z = x.clone();
        } else {
            z = new float[n * codeDim];
            MatMul.linear(x, n, dim, projectInWeight, projectInBias, codeDim, z);
        }
        int[] indices = new int[n * numQuantizers];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < numQuantizers; q++) {
                int index = 0;
                for (int d = 0; d < codeDim; d++) {
                    float s = scale(q, d);
                    float residual = z[i * codeDim + d];
                    float bounded = (float) Math.tanh(residual / s + shift[d]) * halfL[d] - offset[d];
                    int halfWidth = levels[d] / 2;
                    float code = (float) Math.rint(bounded) / halfWidth;
                    index += (int) (code * halfWidth + halfWidth) * basis[d];
                    z[i * codeDim + d] = residual - code * s;
                }
                indices[i * numQuantizers + q] = index;
            }
        }
        return indices;
    }

    private float scale(int quantizer, int d) {
        return (float) Math.pow(levels[d] - 1, -quantizer);
    }

    private static double atanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v));
    }
}
