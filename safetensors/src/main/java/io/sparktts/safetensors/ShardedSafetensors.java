package io.sparktts.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A checkpoint split into shards, opened as one through its {@code *.safetensors.index.json} weight map. */
public final class ShardedSafetensors implements TensorStore {

    private static final ObjectMapper INDEX_JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path path;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> owner;
    private final Map<String, String> metadata;

    private ShardedSafetensors(Path path, List<SafetensorsFile> shards, Map<String, SafetensorsFile> owner,
                               Map<String, String> metadata) {
        this.path = path;
        this.shards = shards;
        this.owner = owner;
        this.metadata = metadata;
    }

    public static ShardedSafetensors open(Path index) throws CheckpointException {
        JsonNode root;
        try {
            root = INDEX_JSON.readTree(index.toFile());
        } catch (IOException e) {
            throw CheckpointException.of(index, null, "index is not valid JSON: " + e.getMessage());
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw CheckpointException.of(index, null, "index has no weight_map object");
        }
        Map<String, SafetensorsFile> byFile = new LinkedHashMap<>();
        Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
        List<SafetensorsFile> shards = new ArrayList<>();
        try {
            Path dir = index.toAbsolutePath().normalize().getParent();
            for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
                String file = e.getValue().isTextual() ? e.getValue().asText() : "";
                Path shardPath = dir.resolve(file).normalize();
                if (file.isEmpty() || !shardPath.startsWith(dir) || shardPath.equals(dir)) {
                    throw CheckpointException.of(index, e.getKey(), "shard " + e.getValue() + " is not a file beside the index");
                }
                SafetensorsFile shard = byFile.get(file);
                if (shard == null) {
                    shard = SafetensorsFile.open(shardPath);
                    byFile.put(file, shard);
                    shards.add(shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw CheckpointException.of(shardPath, e.getKey(), "listed in " + index.getFileName() + " but absent");
                }
                owner.put(e.getKey(), shard);
            }
        } catch (CheckpointException e) {
            shards.forEach(SafetensorsFile::close);
            throw e;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && meta.isObject()) {
            meta.properties().forEach(e -> metadata.put(e.getKey(), e.getValue().isValueNode()
                    ? e.getValue().asText() : e.getValue().toString()));
        }
        return new ShardedSafetensors(index, shards, owner, Collections.unmodifiableMap(metadata));
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(owner.keySet());
    }

    @Override
    public Tensor tensor(String name) throws CheckpointException {
        SafetensorsFile shard = owner.get(name);
        if (shard == null) {
            throw CheckpointException.of(path, name, "no such tensor");
        }
        return shard.tensor(name);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }
}
