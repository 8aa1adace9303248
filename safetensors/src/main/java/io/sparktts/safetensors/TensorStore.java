package io.sparktts.safetensors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Named tensors of one checkpoint, whatever its file format. Closing it invalidates every tensor view. */
public interface TensorStore extends AutoCloseable {

    /** The file (or index file) this store was opened from; used in error messages. */
    Path path();

    /** Tensor names in file order. */
    Set<String> names();

    default boolean contains(String name) {
        return names().contains(name);
    }

    /** The tensor, or a {@link CheckpointException} naming the file and the missing tensor. */
    Tensor tensor(String name) throws CheckpointException;

    /** The format's free-form string metadata (safetensors {@code __metadata__}); empty when there is none. */
    Map<String, String> metadata();

    @Override
    void close();

    /**
     * Opens a checkpoint: a sharded safetensors index ({@code *.safetensors.index.json}), a PyTorch checkpoint
     * ({@code .bin}, {@code .pt}, {@code .pth}, or any zip archive), otherwise a safetensors file.
     */
    static TensorStore open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException(path + ": no such file");
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".index.json")) {
            return ShardedSafetensors.open(path);
        }
        if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth") || startsWithZipSignature(path)) {
            return PyTorchCheckpoint.open(path);
        }
        return SafetensorsFile.open(path);
    }

    private static boolean startsWithZipSignature(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        }
    }
}
