package io.sparktts.cli;

import io.sparktts.core.wav2vec2.Wav2Vec2FeatureExtractor;
import io.sparktts.core.wav2vec2.Wav2Vec2Model;
import io.sparktts.safetensors.CheckpointException;
import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;

/** {@code wav2vec2}: a 16 kHz clip through the feature extractor and the first 16 transformer layers. */
final class Wav2Vec2Parity implements ParityComponent {

    @Override
    public String name() {
        return "wav2vec2";
    }

    @Override
    public String description() {
        return "--model is the wav2vec2 folder (config.json + model.safetensors or pytorch_model.bin); reads wav [N];"
                + " writes input_values, extract_features [frames, conv], hidden_state_0..16 [frames, hidden], feats_mix";
    }

    @Override
    public void run(Path modelDir, TensorStore inputs, Args options, SafetensorsWriter outputs) throws Exception {
        Tensor wav = inputs.tensor("wav");
        if (wav.rank() != 1) {
            throw new CheckpointException(inputs.path() + ": expected wav [N], got " + wav.describe());
        }
        int layers = Wav2Vec2Model.MIX_LAYERS[Wav2Vec2Model.MIX_LAYERS.length - 1];
        Wav2Vec2Model model = Wav2Vec2Model.load(modelDir, layers);
        float[] input = Wav2Vec2FeatureExtractor.normalize(wav.toFloats());
        outputs.add("input_values", DType.F32, new long[] {input.length}, input);
        int hidden = model.config().hiddenSize();
        float[][] states = new float[layers + 1][];
        Wav2Vec2Model.Output out = model.forward(input, layers, (i, s) -> states[i] = s);
        long frames = out.frames();
        outputs.add("extract_features", DType.F32, new long[] {frames, out.extractFeatures().length / frames},
                out.extractFeatures());
        for (int k = 0; k <= layers; k++) {
            outputs.add("hidden_state_" + k, DType.F32, new long[] {frames, hidden}, states[k]);
        }
        float[] mix = new float[states[0].length];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (states[Wav2Vec2Model.MIX_LAYERS[0]][i] + states[Wav2Vec2Model.MIX_LAYERS[1]][i]
                    + states[Wav2Vec2Model.MIX_LAYERS[2]][i]) / 3;
        }
        outputs.add("feats_mix", DType.F32, new long[] {frames, hidden}, mix);
    }
}
