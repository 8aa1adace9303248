package io.sparktts.cli;

import io.sparktts.core.bicodec.BiCodecDecoder;
import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;

/** {@code bicodec-decode}: semantic + global tokens through BiCodec's detokenize path. */
final class BiCodecDecodeParity implements ParityComponent {

    @Override
    public String name() {
        return "bicodec-decode";
    }

    @Override
    public String description() {
        return "--model is the BiCodec folder; reads semantic_tokens_2 [1,T] and global_tokens_2 [1,1,N] (and"
                + " semantic_tokens, global_tokens when present); writes z_q, d_vector, prenet_out, wav_recon with the"
                + " same suffix";
    }

    @Override
    public void run(Path modelDir, TensorStore inputs, Args options, SafetensorsWriter outputs) throws Exception {
        BiCodecDecoder decoder = BiCodecDecoder.load(modelDir);
        if (!inputs.contains("semantic_tokens_2") && !inputs.contains("semantic_tokens")) {
            throw new CheckpointException(inputs.path() + ": needs semantic_tokens_2 / global_tokens_2 (or"
                    + " semantic_tokens / global_tokens)");
        }
        for (String suffix : new String[] {"", "_2"}) {
            if (!inputs.contains("semantic_tokens" + suffix)) continue;
            Tensor semantic = inputs.tensor("semantic_tokens" + suffix);
            Tensor global = inputs.tensor("global_tokens" + suffix);
            if (semantic.rank() != 2 || semantic.dim(0) != 1 || global.rank() != 3 || global.dim(0) != 1) {
                throw new CheckpointException(inputs.path() + ": expected semantic_tokens" + suffix + " [1, T] and"
                        + " global_tokens" + suffix + " [1, Q, N], got " + semantic.describe() + " and "
                        + global.describe());
            }
            BiCodecDecoder.Decoded d = decoder.decodeWithIntermediates(semantic.toInts(), global.toInts());
            long frames = semantic.dim(1);
            outputs.add("z_q" + suffix, DType.F32, new long[] {1, decoder.config().quantizer().inputDim(), frames},
                    d.zq());
            outputs.add("d_vector" + suffix, DType.F32, new long[] {1, d.dVector().length}, d.dVector());
            outputs.add("prenet_out" + suffix, DType.F32,
                    new long[] {1, decoder.config().prenet().outChannels(), d.frames()}, d.prenetOut());
            outputs.add("wav_recon" + suffix, DType.F32, new long[] {1, 1, d.waveform().length}, d.waveform());
        }
    }
}
