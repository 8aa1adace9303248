package io.sparktts.safetensors;

import java.io.IOException;
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
     * Opens a checkpoint by its content: a safetensors file, a sharded safetensors index
     * ({@code *.safetensors.index.json}).
     */
    static TensorStore open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException(path + ": no such file");
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".index.json")) {
            return ShardedSafetensors.open(path);
        }
        return SafetensorsFile.open(path);
    }
}
