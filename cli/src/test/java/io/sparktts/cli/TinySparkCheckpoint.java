package io.sparktts.cli;

import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * (A copy of core's test class of the same name: test classes are not shared between modules.)
 * A complete checkpoint folder in the released layout for end-to-end tests: the golden tokenizer as {@code LLM/},
 * the golden tiny BiCodec as {@code BiCodec/}, the golden tiny wav2vec2 as {@code wav2vec2-large-xlsr-53/} (all
 * linked, not copied) and a generated one-layer Qwen2 LM (hidden
 * 16) whose vocabulary covers the tokenizer.
 *
 * <p>A random LM practically never emits {@code <|start_global_token|>} (one of about 1,200 tokens allowed first),
 * so this one is random where it does not matter and fixed where it does: every embedding row is the same and the
 * layer's output projections are zero, so the final hidden state is the same at every step and each token's logit
 * is the sum of its head row. The head rows are small random numbers, except {@code <|start_global_token|>} and
 * {@code <|start_semantic_token|>} (far above all others) and the end tokens (far below, outside any top-50). The
 * output is therefore always {@code <|start_global_token|>}, the codec's number of global tokens,
 * {@code <|end_global_token|>}, {@code <|start_semantic_token|>}, then semantic tokens up to the token limit; which
 * global and semantic tokens depends on the seed.
 */
final class TinySparkCheckpoint {
    public static final int VOCAB = 166000;
    public static final int EOS = 151645;
    static final int HIDDEN = 16, INTERMEDIATE = 32, KV = 8;

    private TinySparkCheckpoint() {}

    /** Writes the folder under {@code root}; the three directories are the golden fixtures. */
    public static Path write(Path root, Path tokenizerDir, Path bicodecDir, Path wav2vec2Dir) throws IOException {
        Path llm = Files.createDirectories(root.resolve("LLM"));
        Files.createSymbolicLink(llm.resolve("tokenizer.json"), tokenizerDir.resolve("tokenizer.json").toAbsolutePath());
        Files.createSymbolicLink(root.resolve("BiCodec"), bicodecDir.toAbsolutePath());
        Files.createSymbolicLink(root.resolve("wav2vec2-large-xlsr-53"), wav2vec2Dir.toAbsolutePath());
        Files.writeString(root.resolve("config.yaml"), "sample_rate: 16000\n");
        Files.writeString(llm.resolve("config.json"), """
                {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
                 "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                 "num_key_value_heads": 1, "vocab_size": 166000, "max_position_embeddings": 4096,
                 "rope_theta": 1000000.0, "rms_norm_eps": 1e-06, "tie_word_embeddings": false,
                 "use_sliding_window": false, "bos_token_id": 151643, "eos_token_id": 151645}
                """);
        Tokenizer tokenizer = Tokenizer.load(llm.resolve("tokenizer.json"));
        Random random = new Random(7);
        float[] embedding = new float[VOCAB * HIDDEN];
        java.util.Arrays.fill(embedding, 1f);
        float[] head = uniform(random, VOCAB * HIDDEN, 0.05f);
        setRow(head, id(tokenizer, "<|start_global_token|>"), 1f);
        setRow(head, id(tokenizer, "<|start_semantic_token|>"), 1f);
        setRow(head, id(tokenizer, "<|end_semantic_token|>"), -1f);
        setRow(head, EOS, -1f);
        String p = "model.layers.0.";
        new SafetensorsWriter()
                .add("model.embed_tokens.weight", DType.F32, shape(VOCAB, HIDDEN), embedding)
                .add(p + "self_attn.q_proj.weight", DType.F32, shape(HIDDEN, HIDDEN), uniform(random, HIDDEN * HIDDEN, 0.3f))
                .add(p + "self_attn.k_proj.weight", DType.F32, shape(KV, HIDDEN), uniform(random, KV * HIDDEN, 0.3f))
                .add(p + "self_attn.v_proj.weight", DType.F32, shape(KV, HIDDEN), uniform(random, KV * HIDDEN, 0.3f))
                .add(p + "self_attn.q_proj.bias", DType.F32, shape(HIDDEN), uniform(random, HIDDEN, 0.1f))
                .add(p + "self_attn.k_proj.bias", DType.F32, shape(KV), uniform(random, KV, 0.1f))
                .add(p + "self_attn.v_proj.bias", DType.F32, shape(KV), uniform(random, KV, 0.1f))
                .add(p + "self_attn.o_proj.weight", DType.F32, shape(HIDDEN, HIDDEN), new float[HIDDEN * HIDDEN])
                .add(p + "mlp.gate_proj.weight", DType.F32, shape(INTERMEDIATE, HIDDEN), uniform(random, INTERMEDIATE * HIDDEN, 0.3f))
                .add(p + "mlp.up_proj.weight", DType.F32, shape(INTERMEDIATE, HIDDEN), uniform(random, INTERMEDIATE * HIDDEN, 0.3f))
                .add(p + "mlp.down_proj.weight", DType.F32, shape(HIDDEN, INTERMEDIATE), new float[HIDDEN * INTERMEDIATE])
                .add(p + "input_layernorm.weight", DType.F32, shape(HIDDEN), ones(HIDDEN))
                .add(p + "post_attention_layernorm.weight", DType.F32, shape(HIDDEN), ones(HIDDEN))
                .add("model.norm.weight", DType.F32, shape(HIDDEN), ones(HIDDEN))
                .add("lm_head.weight", DType.F32, shape(VOCAB, HIDDEN), head)
                .write(llm.resolve("model.safetensors"));
        return root;
    }

    private static int id(Tokenizer tokenizer, String token) {
        return tokenizer.tokenId(token).orElseThrow();
    }

    private static void setRow(float[] matrix, int row, float value) {
        java.util.Arrays.fill(matrix, row * HIDDEN, (row + 1) * HIDDEN, value);
    }

    private static float[] uniform(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() * 2 - 1) * scale;
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static long[] shape(long... dims) {
        return dims;
    }
}
