package io.sparktts.cli;

import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import java.util.List;

/** Runs one network on named input tensors and writes its named outputs, for comparison with a PyTorch dump. */
final class ParityCommand implements Command {

    private static final List<ParityComponent> COMPONENTS = List.of(
            new BiCodecDecodeParity(),
            new BiCodecEncodeParity(),
            new Wav2Vec2Parity(),
            new LmParity());

    @Override
    public String name() {
        return "parity";
    }

    @Override
    public String summary() {
        return "run one network on named input tensors and write its outputs (compare with PyTorch)";
    }

    @Override
    public String usage() {
        StringBuilder b = new StringBuilder("""
                usage: spark-tts parity --component NAME --model DIR --inputs IN.safetensors --out OUT.safetensors [component options]
                components:
                """);
        for (ParityComponent c : COMPONENTS) {
            b.append("  ").append(c.name()).append(": ").append(c.description()).append('\n');
        }
        if (COMPONENTS.isEmpty()) {
            b.append("  (none yet)\n");
        }
        return b.toString().stripTrailing();
    }

    @Override
    public int run(Args args) throws Exception {
        String name = args.required("component");
        ParityComponent component = COMPONENTS.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown component '" + name + "'; known: "
                        + COMPONENTS.stream().map(ParityComponent::name).toList()));
        Path model = args.path("model");
        Path in = args.path("inputs");
        Path out = args.path("out");
        SafetensorsWriter outputs = new SafetensorsWriter().metadata("component", name);
        try (TensorStore inputs = TensorStore.open(in)) {
            component.run(model, inputs, args, outputs);
        }
        args.finish();
        outputs.write(out);
        System.err.println("wrote " + out);
        return 0;
    }
}
