package io.sparktts.core.weights;

import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.util.Arrays;

/**
 * A prefix-scoped view of a checkpoint: {@code weights.child("decoder.model.0").floats("bias", 1536)} reads tensor
 * {@code decoder.model.0.bias} as floats after checking its shape. Missing tensors and wrong shapes are refused with
 * a {@link CheckpointException} naming the file, the tensor and both shapes.
 */
public final class Weights {

    private final TensorStore store;
    private final String prefix;

    private Weights(TensorStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public static Weights of(TensorStore store) {
        return new Weights(store, "");
    }

    /** The view under {@code name} (joined with a dot). */
    public Weights child(String name) {
        return new Weights(store, name(name) + ".");
    }

    /** Full tensor name of {@code name} under this prefix. */
    public String name(String name) {
        return prefix + name;
    }

    public boolean contains(String name) {
        return store.contains(name(name));
    }

    /** The tensor, shape-checked; a {@code -1} in {@code shape} accepts any size there. */
    public Tensor tensor(String name, long... shape) throws CheckpointException {
        String full = name(name);
        if (!store.contains(full)) {
            throw new CheckpointException(store.path() + ": missing tensor '" + full + "'");
        }
        Tensor t = store.tensor(full);
        boolean fits = t.rank() == shape.length;
        for (int i = 0; fits && i < shape.length; i++) fits = shape[i] < 0 || t.dim(i) == shape[i];
        if (!fits) {
            throw new CheckpointException(store.path() + ": tensor '" + full + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new CheckpointException(store.path() + ": tensor '" + full + "' is " + t.dtype()
                    + ", expected a floating-point type");
        }
        return t;
    }

    /** The tensor's values as floats, shape-checked. */
    public float[] floats(String name, long... shape) throws CheckpointException {
        return tensor(name, shape).toFloats();
    }

    /**
     * The weight of a weight-normed layer: {@code name_g} and {@code name_v} folded over {@code dim}, or a plain
     * {@code name} tensor when the checkpoint already has the norm removed. {@code shape} is the weight's shape.
     */
    public float[] weightNormed(String name, int dim, long... shape) throws CheckpointException {
        if (!contains(name + "_v") && contains(name)) {
            return floats(name, shape);
        }
        long[] gShape = new long[shape.length];
        Arrays.fill(gShape, 1);
        gShape[dim] = shape[dim];
        float[] v = floats(name + "_v", shape);
        float[] g = floats(name + "_g", gShape);
        return WeightNorm.fold(g, v, shape, dim);
    }
}
