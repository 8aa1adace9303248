/** Checkpoint I/O: safetensors (memory-mapped, sharded), its writer, and a restricted PyTorch checkpoint reader. */
module io.sparktts.safetensors {
    requires com.fasterxml.jackson.databind;
    exports io.sparktts.safetensors;
}
