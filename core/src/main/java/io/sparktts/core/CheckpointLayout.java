package io.sparktts.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder layout of the released Spark-TTS-0.5B checkpoint: {@code config.yaml}, {@code LLM/} (Qwen2 weights,
 * config and tokenizer), {@code BiCodec/} (codec weights and config) and {@code wav2vec2-large-xlsr-53/} (only
 * needed to encode a prompt recording). {@link #check} names every missing part at once.
 */
public record CheckpointLayout(Path root) {
    public static final String HUB_REPO = "SparkAudio/Spark-TTS-0.5B";
    public static final String HOW_TO_GET = "download it with `spark-tts download --to DIR` or from https://huggingface.co/"
            + HUB_REPO + " (weights licensed CC BY-NC-SA 4.0)";

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path llm() {
        return root.resolve("LLM");
    }

    public Path bicodec() {
        return root.resolve("BiCodec");
    }

    public Path wav2vec2() {
        return root.resolve("wav2vec2-large-xlsr-53");
    }

    /** The LM weights: {@code model.safetensors}, or the index of a sharded checkpoint. */
    public Path llmWeights() {
        Path index = llm().resolve("model.safetensors.index.json");
        return Files.isRegularFile(index) ? index : llm().resolve("model.safetensors");
    }

    /** The wav2vec2 weights: {@code model.safetensors} if present, else the released {@code pytorch_model.bin}. */
    public Path wav2vec2Weights() {
        Path safetensors = wav2vec2().resolve("model.safetensors");
        return Files.isRegularFile(safetensors) ? safetensors : wav2vec2().resolve("pytorch_model.bin");
    }

    /**
     * Refuses a folder that lacks what synthesis needs; {@code forCloning} also requires the wav2vec2 part.
     * The message lists every missing file and says how to get the checkpoint.
     */
    public void check(boolean forCloning) throws SparkTtsException {
        if (!Files.isDirectory(root)) {
            throw new SparkTtsException(root + ": no such checkpoint folder; " + HOW_TO_GET);
        }
        List<Path> required = new ArrayList<>(List.of(config(), llm().resolve("config.json"),
                llm().resolve("tokenizer.json"), llmWeights(), bicodec().resolve("config.yaml"),
                bicodec().resolve("model.safetensors")));
        if (forCloning) {
            required.addAll(List.of(wav2vec2().resolve("config.json"), wav2vec2Weights()));
        }
        List<String> missing = new ArrayList<>();
        for (Path p : required) {
            if (!Files.isRegularFile(p)) {
                missing.add(root.relativize(p).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new SparkTtsException(root + " is not a complete Spark-TTS-0.5B checkpoint: missing "
                    + String.join(", ", missing) + "; " + HOW_TO_GET);
        }
    }
}
