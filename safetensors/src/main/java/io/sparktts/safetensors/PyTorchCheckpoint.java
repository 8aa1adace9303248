package io.sparktts.safetensors;

import io.sparktts.safetensors.RestrictedUnpickler.TensorRef;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PyTorch checkpoint as {@code torch.save(state_dict)} writes it (e.g. {@code pytorch_model.bin}): a zip archive
 * of stored entries, {@code ARCHIVE/data.pkl} describing the tensors and {@code ARCHIVE/data/KEY} holding each
 * storage's raw little-endian bytes. The file is memory-mapped; the pickle is read by a {@link RestrictedUnpickler}
 * that runs no code. Contiguous tensors are zero-copy views of the mapping; strided ones (e.g. a saved transpose) are
 * copied into contiguous memory on first use. Opening validates every tensor's view against its storage.
 */
public final class PyTorchCheckpoint implements TensorStore {

    /** Pickles beyond this are refused: a state dict of ten thousand tensors pickles to a few megabytes. */
    static final long MAX_PICKLE_BYTES = 64L << 20;

    private record Entry(DType dtype, long[] shape, MemorySegment storage, long offset, long[] stride,
                         boolean contiguous) {}

    private final Path path;
    private final Arena arena;
    private final Map<String, Entry> entries;
    private final Map<String, MemorySegment> materialized = new HashMap<>();

    private PyTorchCheckpoint(Path path, Arena arena, Map<String, Entry> entries) {
        this.path = path;
        this.arena = arena;
        this.entries = entries;
    }

    public static PyTorchCheckpoint open(Path path) throws CheckpointException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 4) {
                throw CheckpointException.of(path, null, "file of " + size + " bytes is too short for a PyTorch checkpoint");
            }
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            checkMagic(path, file);
            Map<String, MemorySegment> zip = StoredZip.read(path, file).entries();
            String root = archiveRoot(path, zip);
            checkByteOrder(path, zip.get(root + "byteorder"));
            MemorySegment pickle = zip.get(root + "data.pkl");
            if (pickle.byteSize() > MAX_PICKLE_BYTES) {
                throw CheckpointException.of(path, null, root + "data.pkl of " + pickle.byteSize()
                        + " bytes is larger than the " + MAX_PICKLE_BYTES + " bytes a state dict needs");
            }
            Map<String, TensorRef> refs = RestrictedUnpickler.stateDict(path, root + "data.pkl",
                    pickle.toArray(ValueLayout.JAVA_BYTE));
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                entries.put(e.getKey(), entry(path, e.getKey(), e.getValue(), zip, root));
            }
            return new PyTorchCheckpoint(path, arena, Collections.unmodifiableMap(entries));
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

    private static void checkMagic(Path path, MemorySegment file) throws CheckpointException {
        byte[] magic = file.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE);
        if (magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            return;
        }
        if ((magic[0] & 0xFF) == 0x80) {
            throw CheckpointException.of(path, null, "is a legacy (before PyTorch 1.6) torch.save file, which is "
                    + "not supported; re-save it with a current torch.save");
        }
        throw CheckpointException.of(path, null, "is not a PyTorch checkpoint (no zip signature)");
    }

    /** The archive folder {@code torch.save} puts every entry under: the one holding {@code data.pkl}. */
    private static String archiveRoot(Path path, Map<String, MemorySegment> zip) throws CheckpointException {
        List<String> pickles = zip.keySet().stream()
                .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
                .toList();
        if (pickles.size() != 1) {
            throw CheckpointException.of(path, null, pickles.isEmpty()
                    ? "zip entry ARCHIVE/data.pkl is missing: not a torch.save checkpoint"
                    : "several zip entries are ARCHIVE/data.pkl: " + pickles);
        }
        String pickle = pickles.getFirst();
        return pickle.substring(0, pickle.length() - "data.pkl".length());
    }

    /** Newer torch.save versions record the byte order; storages are read as little-endian. */
    private static void checkByteOrder(Path path, MemorySegment byteOrder) throws CheckpointException {
        if (byteOrder == null) {
            return;
        }
        String order = byteOrder.byteSize() > 16 ? ""
                : new String(byteOrder.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
        if (!order.equals("little")) {
            throw CheckpointException.of(path, null, "storages are not little-endian (byteorder entry)");
        }
    }

    private static Entry entry(Path path, String name, TensorRef ref, Map<String, MemorySegment> zip, String root)
            throws CheckpointException {
        DType dtype = ref.storage().dtype();
        String storageName = root + "data/" + ref.storage().key();
        MemorySegment storage = zip.get(storageName);
        if (storage == null) {
            throw CheckpointException.of(path, name, "its storage, zip entry '" + storageName + "', is missing");
        }
        long numel = ref.storage().numel();
        if (numel > storage.byteSize() / dtype.byteSize() || numel * dtype.byteSize() != storage.byteSize()) {
            throw CheckpointException.of(path, name, "zip entry '" + storageName + "' holds " + storage.byteSize()
                    + " bytes but a storage of " + numel + " " + dtype + " needs " + numel + " x " + dtype.byteSize());
        }
        long[] size = ref.size();
        long[] stride = ref.stride();
        long count = 1;
        long last = ref.offset();
        try {
            for (int d = 0; d < size.length; d++) {
                count = Math.multiplyExact(count, size[d]);
                if (size[d] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
                }
            }
        } catch (ArithmeticException e) {
            throw CheckpointException.of(path, name, view(ref) + " overflows 64 bits");
        }
        if (count > 0 && last >= numel) {
            throw CheckpointException.of(path, name, view(ref) + " reaches element " + last + " of a storage of "
                    + numel + " elements");
        }
        boolean contiguous = count == 0 || isContiguous(size, stride);
        if (!contiguous && count > numel) {
            throw CheckpointException.of(path, name, view(ref) + " repeats storage elements (" + count + " elements from "
                    + numel + "), which is not supported");
        }
        return new Entry(dtype, size, storage, count == 0 ? 0 : ref.offset(), stride, contiguous);
    }

    private static String view(TensorRef ref) {
        return "view (offset " + ref.offset() + ", size " + Arrays.toString(ref.size()) + ", stride "
                + Arrays.toString(ref.stride()) + ")";
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public Tensor tensor(String name) throws CheckpointException {
        Entry e = entries.get(name);
        if (e == null) {
            throw CheckpointException.of(path, name, "no such tensor");
        }
        long elementSize = e.dtype().byteSize();
        long bytes = elementCount(e.shape()) * elementSize;
        MemorySegment data = e.contiguous()
                ? e.storage().asSlice(e.offset() * elementSize, bytes)
                : materialize(name, e, bytes);
        return new Tensor(name, e.dtype(), e.shape(), data);
    }

    /** PyTorch checkpoints carry no string metadata. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        arena.close();
    }

    /** A contiguous copy of a strided view, made once and kept until close. */
    private synchronized MemorySegment materialize(String name, Entry e, long bytes) {
        MemorySegment done = materialized.get(name);
        if (done != null) {
            return done;
        }
        long[] size = e.shape();
        long[] stride = e.stride();
        long elementSize = e.dtype().byteSize();
        int last = size.length - 1;
        long run = size[last];
        long runStride = stride[last];
        long[] index = new long[last];
        MemorySegment out = arena.allocate(bytes, 8);
        for (long at = 0; at < bytes; at += run * elementSize) {
            long from = e.offset();
            for (int d = 0; d < last; d++) {
                from += index[d] * stride[d];
            }
            if (runStride == 1) {
                MemorySegment.copy(e.storage(), from * elementSize, out, at, run * elementSize);
            } else {
                for (long j = 0; j < run; j++) {
                    MemorySegment.copy(e.storage(), (from + j * runStride) * elementSize, out,
                            at + j * elementSize, elementSize);
                }
            }
            for (int d = last - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        materialized.put(name, out);
        return out;
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
