package io.sparktts.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header, then the data.
 * Opening reads and validates only the header; tensor data is touched when a caller reads it.
 */
public final class SafetensorsFile implements TensorStore {

    /** Headers beyond this are refused: real ones are a few hundred kilobytes. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    /** Top-level names are checked for duplicates by hand, to name the tensor; nested objects by Jackson. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private record Entry(DType dtype, long[] shape, long begin, long end) {}

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, MemorySegment data, Map<String, Entry> entries,
                            Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) throws CheckpointException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw CheckpointException.of(path, null, "file of " + size + " bytes is too short for a safetensors header");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, path);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw CheckpointException.of(path, null, "header length " + headerLength + " is not between 2 and " + MAX_HEADER_BYTES);
            }
            if (headerLength > size - 8) {
                throw CheckpointException.of(path, null, "header length " + headerLength + " runs past the end of the "
                        + size + "-byte file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, path);
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(path, decodeUtf8(path, header), dataLength, metadata);
            MemorySegment data = dataLength == 0 ? MemorySegment.ofArray(new byte[0])
                    : channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLength, arena);
            return new SafetensorsFile(path, arena, data, entries, Collections.unmodifiableMap(metadata));
        } catch (CheckpointException e) {
            arena.close();
            throw e;
        } catch (NoSuchFileException e) {
            arena.close();
            throw CheckpointException.of(path, null, "no such file");
        } catch (IOException e) {
            arena.close();
            throw CheckpointException.of(path, null, "cannot read: " + e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path path) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw CheckpointException.of(path, null, "file ends inside the header");
            }
        }
    }

    private static String decodeUtf8(Path path, ByteBuffer header) throws CheckpointException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(header.flip())
                    .toString();
        } catch (CharacterCodingException e) {
            throw CheckpointException.of(path, null, "header is not valid UTF-8");
        }
    }

    private static Map<String, Entry> parseHeader(Path path, String text, long dataLength, Map<String, String> metadata)
            throws CheckpointException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        boolean sawMetadata = false;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw CheckpointException.of(path, null, "header is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode node = JSON.readTree(parser);
                if (name.equals("__metadata__")) {
                    if (sawMetadata) {
                        throw CheckpointException.of(path, null, "header has two __metadata__ entries");
                    }
                    sawMetadata = true;
                    readMetadata(path, node, metadata);
                } else if (entries.containsKey(name)) {
                    throw CheckpointException.of(path, name, "name appears twice in the header");
                } else {
                    entries.put(name, parseEntry(path, name, node, dataLength));
                }
            }
            if (parser.nextToken() != null) {
                throw CheckpointException.of(path, null, "header has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw CheckpointException.of(path, null, "header is not valid JSON: " + e.getOriginalMessage());
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw CheckpointException.of(path, null, "header is not valid JSON: " + e.getMessage());
        }
        checkOverlaps(path, entries);
        return entries;
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> metadata) throws CheckpointException {
        if (node == null || !node.isObject()) {
            throw CheckpointException.of(path, null, "__metadata__ is not an object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw CheckpointException.of(path, null, "__metadata__ value for '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        }
    }

    private static Entry parseEntry(Path path, String name, JsonNode node, long dataLength) throws CheckpointException {
        if (node == null || !node.isObject()) {
            throw CheckpointException.of(path, name, "entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsetsNode == null) {
            throw CheckpointException.of(path, name, "entry lacks one of dtype, shape, data_offsets");
        }
        if (!dtypeNode.isTextual()) {
            throw CheckpointException.of(path, name, "dtype is not a string");
        }
        DType dtype = DType.fromHeader(dtypeNode.asText());
        if (dtype == null) {
            throw CheckpointException.of(path, name, "unknown dtype '" + dtypeNode.asText() + "'");
        }
        if (!shapeNode.isArray()) {
            throw CheckpointException.of(path, name, "shape is not an array");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw CheckpointException.of(path, name, "shape entry " + d + " is not a non-negative integer");
            }
            shape[i] = d.asLong();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw CheckpointException.of(path, name, "shape " + shapeNode + " overflows 64 bits");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw CheckpointException.of(path, name, "shape " + shapeNode + " overflows 64 bits");
        }
        if (!offsetsNode.isArray() || offsetsNode.size() != 2
                || !offsetsNode.get(0).isIntegralNumber() || !offsetsNode.get(1).isIntegralNumber()
                || !offsetsNode.get(0).canConvertToLong() || !offsetsNode.get(1).canConvertToLong()) {
            throw CheckpointException.of(path, name, "data_offsets " + offsetsNode + " is not a pair of integers");
        }
        long begin = offsetsNode.get(0).asLong();
        long end = offsetsNode.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLength) {
            throw CheckpointException.of(path, name, "data_offsets [" + begin + ", " + end + "] lie outside the "
                    + dataLength + " data bytes");
        }
        if (end - begin != bytes) {
            throw CheckpointException.of(path, name, "holds " + (end - begin) + " bytes but shape " + shapeNode
                    + " of " + dtype + " needs " + bytes);
        }
        return new Entry(dtype, shape, begin, end);
    }

    /** Tensors may leave gaps but must not share bytes; empty tensors occupy nothing. */
    private static void checkOverlaps(Path path, Map<String, Entry> entries) throws CheckpointException {
        List<Map.Entry<String, Entry>> sorted = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().end() > e.getValue().begin()) {
                sorted.add(e);
            }
        }
        sorted.sort(Comparator.comparingLong(e -> e.getValue().begin()));
        Map.Entry<String, Entry> furthest = null;
        for (Map.Entry<String, Entry> cur : sorted) {
            if (furthest != null && cur.getValue().begin() < furthest.getValue().end()) {
                throw CheckpointException.of(path, cur.getKey(), "data_offsets [" + cur.getValue().begin() + ", "
                        + cur.getValue().end() + "] overlap those of tensor '" + furthest.getKey() + "'");
            }
            if (furthest == null || cur.getValue().end() > furthest.getValue().end()) {
                furthest = cur;
            }
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public Tensor tensor(String name) throws CheckpointException {
        Entry e = entries.get(name);
        if (e == null) {
            throw CheckpointException.of(path, name, "no such tensor");
        }
        return new Tensor(name, e.dtype(), e.shape(), data.asSlice(e.begin(), e.end() - e.begin()));
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        arena.close();
    }
}
