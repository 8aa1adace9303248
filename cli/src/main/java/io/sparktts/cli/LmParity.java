package io.sparktts.cli;

import io.sparktts.core.qwen2.Qwen2Model;
import io.sparktts.core.qwen2.Qwen2Session;
import io.sparktts.core.qwen2.WeightPrecision;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import java.util.Locale;

/** The Qwen2 LM: full-prompt logits, then greedy decoding with the key/value cache. */
final class LmParity implements ParityComponent {
    @Override
    public String name() {
        return "lm";
    }

    @Override
    public String description() {
        return """
                Qwen2 LM in DIR (config.json, model.safetensors). Reads input_ids [T]; writes prefill_logits [T, vocab],
                    greedy_ids [N] and step_logits [N, vocab] (logits before each greedy token), N = the inputs' greedy_ids
                    length or --steps N; --weights stored|f32|bf16|int8 (default f32)""";
    }

    @Override
    public void run(Path modelDir, TensorStore inputs, Args options, SafetensorsWriter outputs) throws Exception {
        String weights = options.string("weights", "f32");
        WeightPrecision precision = switch (weights.toLowerCase(Locale.ROOT)) {
            case "stored" -> WeightPrecision.STORED;
            case "f32" -> WeightPrecision.F32;
            case "bf16" -> WeightPrecision.BF16;
            case "int8" -> WeightPrecision.INT8;
            default -> throw new UsageException("--weights " + weights + " is not one of stored, f32, bf16, int8");
        };
        int[] prompt = inputs.tensor("input_ids").toInts();
        int fallback = inputs.contains("greedy_ids") ? (int) inputs.tensor("greedy_ids").elementCount() : -1;
        int steps = options.integer("steps", fallback, 0, 1 << 20);
        if (steps < 0) {
            throw new UsageException("--steps N is needed: the inputs have no greedy_ids");
        }
        if (prompt.length == 0) {
            throw new UsageException("input_ids is empty");
        }
        try (Qwen2Model model = Qwen2Model.load(modelDir, precision)) {
            int vocab = model.config().vocabSize();
            for (int i = 0; i < prompt.length; i++) {
                if (prompt[i] < 0 || prompt[i] >= vocab) {
                    throw new UsageException("input_ids[" + i + "] = " + prompt[i] + " is outside the vocabulary 0.." + (vocab - 1));
                }
            }
            float[] prefill = new float[prompt.length * vocab];
            model.newSession(prompt.length).prefillAllLogits(prompt, prefill);
            outputs.add("prefill_logits", DType.F32, new long[] {prompt.length, vocab}, prefill);

            Qwen2Session session = model.newSession(prompt.length + Math.max(steps, 1));
            float[] logits = new float[vocab];
            float[] stepLogits = new float[steps * vocab];
            long[] ids = new long[steps];
            session.prefill(prompt, logits);
            for (int i = 0; i < steps; i++) {
                System.arraycopy(logits, 0, stepLogits, i * vocab, vocab);
                ids[i] = argmax(logits);
                if (i + 1 < steps) {
                    session.decode((int) ids[i], logits);
                }
            }
            outputs.add("greedy_ids", DType.I64, new long[] {steps}, ids);
            outputs.add("step_logits", DType.F32, new long[] {steps, vocab}, stepLogits);
        }
    }

    /** The first largest logit, as {@code torch.argmax}. */
    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
