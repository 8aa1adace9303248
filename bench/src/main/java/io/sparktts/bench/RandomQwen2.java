package io.sparktts.bench;

import io.sparktts.kernels.Parallel;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a full-size Spark-TTS LM (Qwen2.5-0.5B shape, vocabulary 166000, tied embeddings) with random weights
 * and the HF tensor names: {@code DIR/config.json} + {@code model.safetensors} (F32, 2.0 GB) and
 * {@code DIR-bf16/} with the same weights rounded to BF16. Never commit the output.
 * <p>usage: {@code bin/bench tool RandomQwen2 DIR}
 */
public final class RandomQwen2 {
    static final int HIDDEN = 896, INTERMEDIATE = 4864, LAYERS = 24, HEADS = 14, KV_HEADS = 2, VOCAB = 166000;
    static final int KV_DIM = KV_HEADS * HIDDEN / HEADS;

    private RandomQwen2() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RandomQwen2 DIR   (also writes DIR-bf16)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        generate(dir);
        System.err.println("wrote " + dir + " and " + bf16Dir(dir));
    }

    static Path bf16Dir(Path dir) {
        return dir.resolveSibling(dir.getFileName() + "-bf16");
    }

    static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.createDirectories(bf16Dir(dir));
        Files.writeString(dir.resolve("config.json"), config());
        Files.writeString(bf16Dir(dir).resolve("config.json"), config());
        Map<String, long[]> shapes = shapes();
        try (Arena arena = Arena.ofShared()) {
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("generator", "RandomQwen2");
            long seed = 1;
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey();
                float mean = name.endsWith("layernorm.weight") || name.equals("model.norm.weight") ? 1f : 0f;
                float std = mean == 1f ? 0.05f : name.endsWith(".bias") ? 0.02f : name.contains("embed") ? 0.05f : 0.03f;
                w.addBytes(name, DType.F32, e.getValue(), random(arena, count(e.getValue()), seed++, mean, std));
            }
            write(w, dir.resolve("model.safetensors"));
        }
        try (TensorStore f32 = TensorStore.open(dir.resolve("model.safetensors")); Arena arena = Arena.ofShared()) {
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("generator", "RandomQwen2");
            for (String name : f32.names()) {
                Tensor t = f32.tensor(name);
                w.addBytes(name, DType.BF16, t.shape(), toBf16(arena, t.data()));
            }
            write(w, bf16Dir(dir).resolve("model.safetensors"));
        }
    }

    private static void write(SafetensorsWriter w, Path file) throws IOException {
        Path partial = Files.createTempFile(file.getParent(), "model", ".partial");
        w.write(partial);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
    }

    static Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("model.embed_tokens.weight", new long[] {VOCAB, HIDDEN});
        for (int i = 0; i < LAYERS; i++) {
            String p = "model.layers." + i + ".";
            s.put(p + "input_layernorm.weight", new long[] {HIDDEN});
            s.put(p + "self_attn.q_proj.weight", new long[] {HIDDEN, HIDDEN});
            s.put(p + "self_attn.q_proj.bias", new long[] {HIDDEN});
            s.put(p + "self_attn.k_proj.weight", new long[] {KV_DIM, HIDDEN});
            s.put(p + "self_attn.k_proj.bias", new long[] {KV_DIM});
            s.put(p + "self_attn.v_proj.weight", new long[] {KV_DIM, HIDDEN});
            s.put(p + "self_attn.v_proj.bias", new long[] {KV_DIM});
            s.put(p + "self_attn.o_proj.weight", new long[] {HIDDEN, HIDDEN});
            s.put(p + "post_attention_layernorm.weight", new long[] {HIDDEN});
            s.put(p + "mlp.gate_proj.weight", new long[] {INTERMEDIATE, HIDDEN});
            s.put(p + "mlp.up_proj.weight", new long[] {INTERMEDIATE, HIDDEN});
            s.put(p + "mlp.down_proj.weight", new long[] {HIDDEN, INTERMEDIATE});
        }
        s.put("model.norm.weight", new long[] {HIDDEN});
        return s;
    }

    static String config() {
        return """
                {
                  "architectures": ["Qwen2ForCausalLM"],
                  "attention_dropout": 0.0,
                  "bos_token_id": 151643,
                  "eos_token_id": 151645,
                  "hidden_act": "silu",
                  "hidden_size": %d,
                  "initializer_range": 0.02,
                  "intermediate_size": %d,
                  "max_position_embeddings": 32768,
                  "max_window_layers": 21,
                  "model_type": "qwen2",
                  "num_attention_heads": %d,
                  "num_hidden_layers": %d,
                  "num_key_value_heads": %d,
                  "rms_norm_eps": 1e-06,
                  "rope_theta": 1000000.0,
                  "sliding_window": 32768,
                  "tie_word_embeddings": true,
                  "torch_dtype": "float32",
                  "use_cache": true,
                  "use_sliding_window": false,
                  "vocab_size": %d
                }
                """.formatted(HIDDEN, INTERMEDIATE, HEADS, LAYERS, KV_HEADS, VOCAB);
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Gaussian floats, filled in parallel chunks with their own seeds so the result does not depend on threads. */
    private static MemorySegment random(Arena arena, long n, long seed, float mean, float std) {
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);
        MemorySegment m = arena.allocate(n * 4, 64);
        int chunk = 1 << 20;
        int chunks = (int) ((n + chunk - 1) / chunk);
        Parallel.forRange(chunks, 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                SplittableRandom r = new SplittableRandom(seed * 1_000_003L + c);
                for (long i = (long) c * chunk; i < Math.min(n, (long) (c + 1) * chunk); i++) {
                    m.setAtIndex(f32, i, mean + std * (float) r.nextGaussian());
                }
            }
        });
        return m;
    }

    private static MemorySegment toBf16(Arena arena, MemorySegment f32) {
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfShort s = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
        long n = f32.byteSize() / 4;
        MemorySegment out = arena.allocate(n * 2, 64);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(s, i, SafetensorsWriter.toBFloat16(f32.getAtIndex(f, i)));
        }
        return out;
    }
}
