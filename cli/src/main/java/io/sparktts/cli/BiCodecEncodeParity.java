package io.sparktts.cli;

import io.sparktts.core.bicodec.BiCodecEncoder;
import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;

/** {@code bicodec-encode}: BiCodec.tokenize on wav2vec2 features and a reference clip, with every stage's output. */
final class BiCodecEncodeParity implements ParityComponent {

    @Override
    public String name() {
        return "bicodec-encode";
    }

    @Override
    public String description() {
        return "--model is the BiCodec folder; reads ref_wav [1,N] and feat [1,T,C]; writes mel, encoder_out,"
                + " semantic_tokens, ecapa_latent, x_vector, perceiver_out, global_tokens";
    }

    @Override
    public void run(Path modelDir, TensorStore inputs, Args options, SafetensorsWriter outputs) throws Exception {
        Tensor ref = inputs.tensor("ref_wav");
        Tensor feat = inputs.tensor("feat");
        if (ref.rank() != 2 || ref.dim(0) != 1 || feat.rank() != 3 || feat.dim(0) != 1) {
            throw new CheckpointException(inputs.path() + ": expected ref_wav [1, N] and feat [1, T, C], got "
                    + ref.describe() + " and " + feat.describe());
        }
        BiCodecEncoder encoder = BiCodecEncoder.load(modelDir);
        int frames = (int) feat.dim(1);
        BiCodecEncoder.Result r = encoder.encode(feat.toFloats(), frames, ref.toFloats());
        int mels = r.mel().length / r.melFrames();
        outputs.add("mel", DType.F32, new long[] {1, mels, r.melFrames()}, r.mel());
        outputs.add("encoder_out", DType.F32, new long[] {1, r.encoderOut().length / r.frames(), r.frames()}, r.encoderOut());
        outputs.add("semantic_tokens", DType.I64, new long[] {1, r.frames()}, r.semanticTokens());
        var ecapa = r.speaker().ecapa();
        outputs.add("ecapa_latent", DType.F32, new long[] {1, ecapa.latent().length / ecapa.frames(), ecapa.frames()},
                ecapa.latent());
        outputs.add("x_vector", DType.F32, new long[] {1, ecapa.xVector().length}, ecapa.xVector());
        int tokens = encoder.config().speakerEncoder().tokenNum();
        outputs.add("perceiver_out", DType.F32, new long[] {1, tokens, r.speaker().perceiverOut().length / tokens},
                r.speaker().perceiverOut());
        int[] global = r.globalTokens();
        outputs.add("global_tokens", DType.I64, new long[] {1, global.length / tokens, tokens}, global);
    }
}
