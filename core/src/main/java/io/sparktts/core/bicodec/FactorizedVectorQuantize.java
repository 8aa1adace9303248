package io.sparktts.core.bicodec;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.weights.Weights;
import io.sparktts.kernels.Conv1d;
import io.sparktts.safetensors.CheckpointException;

/**
 * The semantic quantizer: a codebook of {@code codebookSize} vectors of {@code codebookDim}, reached from the
 * {@code inputDim}-channel latent through weight-normed 1x1 convolutions (identity when the two dims agree).
 * Signals are channels-first {@code [channels][frames]}.
 */
public final class FactorizedVectorQuantize {

    private final BiCodecConfig.QuantizerConfig config;
    private final float[] codebook;
    /** The codebook rows L2-normalised, for the nearest-entry search. */
    private final float[] normalizedCodebook;
    private final Conv1d inProject;
    private final Conv1d outProject;

    private FactorizedVectorQuantize(BiCodecConfig.QuantizerConfig config, float[] codebook, Conv1d inProject,
                                     Conv1d outProject) {
        this.config = config;
        this.codebook = codebook;
        this.inProject = inProject;
        this.outProject = outProject;
        int dim = config.codebookDim();
        normalizedCodebook = new float[codebook.length];
        for (int c = 0; c < config.codebookSize(); c++) normalize(codebook, c * dim, dim, normalizedCodebook);
    }

    /** Reads {@code codebook.weight} and, when the dims differ, {@code in_project} / {@code out_project}. */
    public static FactorizedVectorQuantize load(Weights w, BiCodecConfig.QuantizerConfig c) throws CheckpointException {
        int in = c.inputDim(), dim = c.codebookDim();
        float[] codebook = w.floats("codebook.weight", c.codebookSize(), dim);
        Conv1d inProject = null, outProject = null;
        if (in != dim) {
            inProject = new Conv1d(Conv1d.Spec.of(in, dim, 1),
                    w.weightNormed("in_project.weight", 0, dim, in, 1), w.floats("in_project.bias", dim));
            outProject = new Conv1d(Conv1d.Spec.of(dim, in, 1),
                    w.weightNormed("out_project.weight", 0, in, dim, 1), w.floats("out_project.bias", in));
        }
        return new FactorizedVectorQuantize(c, codebook, inProject, outProject);
    }

    public BiCodecConfig.QuantizerConfig config() {
        return config;
    }

    /** Token ids to the latent {@code z_q [inputDim][frames]}: codebook rows, then the output projection. */
    public float[] detokenize(int[] tokens) throws SparkTtsException {
        int frames = tokens.length, dim = config.codebookDim();
        if (frames == 0) throw new SparkTtsException("no semantic tokens to decode");
        float[] codes = new float[dim * frames];
        for (int t = 0; t < frames; t++) {
            int id = tokens[t];
            if (id < 0 || id >= config.codebookSize()) {
                throw new SparkTtsException("semantic token " + id + " at position " + t + " is outside 0.."
                        + (config.codebookSize() - 1));
            }
            for (int d = 0; d < dim; d++) codes[d * frames + t] = codebook[id * dim + d];
        }
        return outProject == null ? codes : outProject.forward(codes, frames);
    }

    /**
     * Latent {@code z [inputDim][frames]} to token ids: input projection, then per frame the codebook entry of
     * highest cosine similarity (both sides L2-normalised; the first of equal scores wins, as upstream's argmax).
     */
    public int[] tokenize(float[] z, int frames) {
        int dim = config.codebookDim();
        float[] e = inProject == null ? z : inProject.forward(z, frames);
        int[] tokens = new int[frames];
        float[] frame = new float[dim];
        float[] unit = new float[dim];
        for (int t = 0; t < frames; t++) {
            for (int d = 0; d < dim; d++) frame[d] = e[d * frames + t];
            normalize(frame, 0, dim, unit);
            float e2 = 0f;
            for (int d = 0; d < dim; d++) e2 += unit[d] * unit[d];
            int best = 0;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < config.codebookSize(); c++) {
                float dot = 0f, c2 = 0f;
                for (int d = 0; d < dim; d++) {
                    float cv = normalizedCodebook[c * dim + d];
                    dot += unit[d] * cv;
                    c2 += cv * cv;
                }
                // -(|e|^2 - 2 e.c + |c|^2), the negated squared distance upstream maximises.
                float score = -(e2 - 2 * dot + c2);
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            tokens[t] = best;
        }
        return tokens;
    }

    /** {@code x / max(||x||, 1e-12)} (F.normalize) of {@code n} values at {@code off}, into {@code out[off..]}. */
    private static void normalize(float[] x, int off, int n, float[] out) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[off + i] * x[off + i];
        float norm = (float) Math.max(Math.sqrt(s), 1e-12);
        for (int i = 0; i < n; i++) out[off + i] = x[off + i] / norm;
    }
}
