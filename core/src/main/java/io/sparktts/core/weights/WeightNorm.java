package io.sparktts.core.weights;

/**
 * Folds PyTorch weight normalisation ({@code torch.nn.utils.weight_norm}) into a plain weight:
 * {@code w = g * v / ||v||}, the norm taken over every axis except {@code dim} (no epsilon, as upstream).
 * {@code g} has one value per index along {@code dim}.
 */
public final class WeightNorm {

    private WeightNorm() {}

    /** The folded weight, same layout as {@code v}; {@code shape} is v's shape. */
    public static float[] fold(float[] g, float[] v, long[] shape, int dim) {
        if (dim < 0 || dim >= shape.length) {
            throw new IllegalArgumentException("weight norm dim " + dim + " outside rank " + shape.length);
        }
        long outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
        int size = (int) shape[dim];
        if (outer * size * inner != v.length || g.length != size) {
            throw new IllegalArgumentException("weight norm: v has " + v.length + " values and g " + g.length
                    + " for shape " + java.util.Arrays.toString(shape) + " over dim " + dim);
        }
        double[] sumSquares = new double[size];
        for (long o = 0; o < outer; o++) {
            for (int d = 0; d < size; d++) {
                int base = (int) ((o * size + d) * inner);
                double s = 0;
                for (int i = 0; i < inner; i++) s += (double) v[base + i] * v[base + i];
                sumSquares[d] += s;
            }
        }
        float[] scale = new float[size];
        for (int d = 0; d < size; d++) scale[d] = (float) (g[d] / Math.sqrt(sumSquares[d]));
        float[] w = new float[v.length];
        for (long o = 0; o < outer; o++) {
            for (int d = 0; d < size; d++) {
                int base = (int) ((o * size + d) * inner);
                for (int i = 0; i < inner; i++) w[base + i] = v[base + i] * scale[d];
            }
        }
        return w;
    }
}
