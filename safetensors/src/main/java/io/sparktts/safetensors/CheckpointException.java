package io.sparktts.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be read as what it claims to be; the message names the file and, where known, the tensor. */
public class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    public static CheckpointException of(Path file, String tensor, String problem) {
        return new CheckpointException(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + problem);
    }
}
