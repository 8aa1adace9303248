package io.sparktts.core.qwen2;

import io.sparktts.core.SparkTtsException;
import io.sparktts.kernels.WeightFormat;
import io.sparktts.kernels.WeightMatrix;
import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A loaded Qwen2 causal LM ({@code Qwen2ForCausalLM}): token embedding, decoder layers, final RMSNorm and the
 * output head (tied to the embedding or separate). Immutable and thread-safe: every generation runs in its own
 * {@link Qwen2Session}. Closing releases the checkpoint's memory map, which {@link WeightPrecision#STORED} weights
 * read in place.
 */
public final class Qwen2Model implements AutoCloseable {
    private final Qwen2Config config;
    private final WeightPrecision precision;
    private final WeightMatrix embedding;
    private final Qwen2DecoderLayer[] layers;
    private final float[] finalNorm;
    private final WeightMatrix head;
    private final TensorStore mapped;

    private Qwen2Model(Qwen2Config config, WeightPrecision precision, WeightMatrix embedding, Qwen2DecoderLayer[] layers,
                       float[] finalNorm, WeightMatrix head, TensorStore mapped) {
        this.config = config;
        this.precision = precision;
        this.embedding = embedding;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.head = head;
        this.mapped = mapped;
    }

    /** Loads {@code config.json} and {@code model.safetensors} (or a sharded index) of a HF model folder. */
    public static Qwen2Model load(Path dir, WeightPrecision precision) throws IOException {
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights) && Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
            weights = dir.resolve("model.safetensors.index.json");
        }
        if (!Files.isRegularFile(weights)) {
            throw new SparkTtsException(dir + ": no model.safetensors or model.safetensors.index.json (the Qwen2 weights)");
        }
        return load(Qwen2Config.read(dir.resolve("config.json")), weights, precision);
    }

    /** Loads the weights in {@code weights} (HF tensor names) for {@code config}. */
    public static Qwen2Model load(Qwen2Config config, Path weights, WeightPrecision precision) throws IOException {
        TensorStore store = TensorStore.open(weights);
        try {
            Qwen2Model model = load(config, store, precision);
            if (precision != WeightPrecision.STORED) {
                store.close();
            }
            return model;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static Qwen2Model load(Qwen2Config c, TensorStore store, WeightPrecision precision) throws IOException {
        int hidden = c.hiddenSize(), kvDim = c.kvDim(), inter = c.intermediateSize();
        Loader in = new Loader(store, precision);
        WeightMatrix embedding = in.matrix("model.embed_tokens.weight", c.vocabSize(), hidden);
        Qwen2DecoderLayer[] layers = new Qwen2DecoderLayer[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            Qwen2Attention attention = new Qwen2Attention(c,
                    in.matrix(p + "self_attn.q_proj.weight", hidden, hidden),
                    in.matrix(p + "self_attn.k_proj.weight", kvDim, hidden),
                    in.matrix(p + "self_attn.v_proj.weight", kvDim, hidden),
                    in.vector(p + "self_attn.q_proj.bias", hidden),
                    in.vector(p + "self_attn.k_proj.bias", kvDim),
                    in.vector(p + "self_attn.v_proj.bias", kvDim),
                    in.matrix(p + "self_attn.o_proj.weight", hidden, hidden));
            Qwen2Mlp mlp = new Qwen2Mlp(
                    in.matrix(p + "mlp.gate_proj.weight", inter, hidden),
                    in.matrix(p + "mlp.up_proj.weight", inter, hidden),
                    in.matrix(p + "mlp.down_proj.weight", hidden, inter));
            layers[i] = new Qwen2DecoderLayer(c, in.vector(p + "input_layernorm.weight", hidden), attention,
                    in.vector(p + "post_attention_layernorm.weight", hidden), mlp);
        }
        float[] norm = in.vector("model.norm.weight", hidden);
        WeightMatrix head = c.tieWordEmbeddings() ? embedding : in.matrix("lm_head.weight", c.vocabSize(), hidden);
        return new Qwen2Model(c, precision, embedding, layers, norm, head,
                precision == WeightPrecision.STORED ? store : null);
    }

    /** Reads tensors by name, checks shapes and makes matrices in the chosen precision. */
    private record Loader(TensorStore store, WeightPrecision precision) {
        WeightMatrix matrix(String name, int rows, int cols) throws CheckpointException {
            Tensor t = store.tensor(name).requireShape(rows, cols);
            WeightFormat stored = switch (t.dtype()) {
                case F32 -> WeightFormat.F32;
                case BF16 -> WeightFormat.BF16;
                case F16 -> WeightFormat.F16;
                default -> throw CheckpointException.of(store.path(), name, "dtype " + t.dtype()
                        + " is not a weight format (F32, BF16 or F16)");
            };
            WeightMatrix view = WeightMatrix.of(stored, t.data(), rows, cols);
            try {
                return switch (precision) {
                    case STORED -> view;
                    case F32 -> view.convert(WeightFormat.F32);
                    case BF16 -> view.convert(WeightFormat.BF16);
                    case INT8 -> view.convert(WeightFormat.Q8_0);
                };
            } catch (IllegalArgumentException e) {
                throw CheckpointException.of(store.path(), name, e.getMessage());
            }
        }

        float[] vector(String name, int length) throws CheckpointException {
            Tensor t = store.tensor(name).requireShape(length);
            if (t.dtype() != DType.F32 && t.dtype() != DType.BF16 && t.dtype() != DType.F16) {
                throw CheckpointException.of(store.path(), name, "dtype " + t.dtype() + " is not F32, BF16 or F16");
            }
            float[] v = t.toFloats();
            if (precision == WeightPrecision.BF16) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.intBitsToFloat(SafetensorsWriter.toBFloat16(v[i]) << 16);
                }
            }
            return v;
        }
    }

    public Qwen2Config config() {
        return config;
    }

    public WeightPrecision precision() {
        return precision;
    }

    /** Bytes of weights read to decode one token with the full head: every layer matrix plus the head. */
    public long weightBytesPerToken() {
        long bytes = head.byteSize();
        for (Qwen2DecoderLayer layer : layers) {
            bytes += layer.weightBytes();
        }
        return bytes;
    }

    /** Bytes of the head rows read per token when only {@code rows} of them are computed. */
    public long headBytesPerRow() {
        return head.byteSize() / head.rows();
    }

    /** A new generation state with room for {@code capacity} tokens (prompt and generated) in its cache. */
    public Qwen2Session newSession(int capacity) {
        if (capacity < 1 || capacity > config.maxPositions()) {
            throw new IllegalArgumentException("session capacity " + capacity + " is outside 1.."
                    + config.maxPositions() + " (max_position_embeddings)");
        }
        return new Qwen2Session(this, capacity);
    }

    WeightMatrix embedding() {
        return embedding;
    }

    Qwen2DecoderLayer[] layers() {
        return layers;
    }

    float[] finalNorm() {
        return finalNorm;
    }

    WeightMatrix head() {
        return head;
    }

    @Override
    public void close() {
        if (mapped != null) {
            mapped.close();
        }
    }
}
