package io.sparktts.core.bicodec;

import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Activations;
import io.sparktts.kernels.Conv1d;
import io.sparktts.safetensors.CheckpointException;

/**
 * DAC residual unit on {@code [dim][frames]}: Snake -> weight-normed conv k=7 with dilation d (padding 3d) ->
 * Snake -> weight-normed conv k=1, added to the input (the lengths agree, so upstream's crop is a no-op).
 */
public final class ResidualUnit {

    private final int dim;
    private final float[] alpha1, alpha2;
    private final Conv1d conv1, conv2;

    private ResidualUnit(int dim, float[] alpha1, Conv1d conv1, float[] alpha2, Conv1d conv2) {
        this.dim = dim;
        this.alpha1 = alpha1;
        this.conv1 = conv1;
        this.alpha2 = alpha2;
        this.conv2 = conv2;
    }

    public static ResidualUnit load(Weights w, int dim, int dilation) throws CheckpointException {
        float[] a1 = w.floats("block.0.alpha", 1, dim, 1);
        Conv1d c1 = new Conv1d(Conv1d.Spec.of(dim, dim, 7).dilation(dilation).padding(3 * dilation),
                w.weightNormed("block.1.weight", 0, dim, dim, 7), w.floats("block.1.bias", dim));
        float[] a2 = w.floats("block.2.alpha", 1, dim, 1);
        Conv1d c2 = new Conv1d(Conv1d.Spec.of(dim, dim, 1), w.weightNormed("block.3.weight", 0, dim, dim, 1),
                w.floats("block.3.bias", dim));
        return new ResidualUnit(dim, a1, c1, a2, c2);
    }

    /** Updates {@code x [dim][frames]} in place; the second conv adds straight into it (the residual). */
    public void forward(float[] x, int frames) {
        float[] h = new float[dim * frames];
        Activations.snake(x, h, dim, frames, alpha1);
        float[] y = conv1.forward(h, frames);
        Activations.snake(y, dim, frames, alpha2);
        conv2.forwardAccumulate(y, frames, x);
    }
}
