package io.sparktts.cli;

import io.sparktts.safetensors.SafetensorsWriter;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;

/**
 * One network exposed to {@code spark-tts parity}: reads named inputs, runs, and adds named outputs, with the
 * tensor names of the golden fixtures' {@code io.safetensors}.
 */
interface ParityComponent {
    String name();

    /** What the component reads from the model directory and which tensors it reads and writes. */
    String description();

    void run(Path modelDir, TensorStore inputs, Args options, SafetensorsWriter outputs) throws Exception;
}
