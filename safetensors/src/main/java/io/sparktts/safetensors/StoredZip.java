package io.sparktts.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive whose entries are stored uncompressed, as {@code torch.save} writes them,
 * over a memory-mapped file: each entry is a slice of the mapping, so nothing is copied. Every offset and length is
 * checked against the file before use. ZIP64 directories are understood; compressed or encrypted entries are refused.
 */
final class StoredZip {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int ZIP64_END_OF_DIRECTORY = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int END_OF_DIRECTORY_SIZE = 22;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int LOCAL_HEADER_SIZE = 30;

    private final Path path;
    private final MemorySegment file;
    private final Map<String, MemorySegment> entries;

    private StoredZip(Path path, MemorySegment file) throws CheckpointException {
        this.path = path;
        this.file = file;
        this.entries = Collections.unmodifiableMap(readDirectory());
    }

    /** Reads the directory of the zip archive mapped in {@code file}. */
    static StoredZip read(Path path, MemorySegment file) throws CheckpointException {
        return new StoredZip(path, file);
    }

    /** Entry names in directory order, each with a zero-copy view of its bytes. */
    Map<String, MemorySegment> entries() {
        return entries;
    }

    private Map<String, MemorySegment> readDirectory() throws CheckpointException {
        long end = findEndOfDirectory();
        long count = u16(end + 10);
        long directorySize = u32(end + 12);
        long directoryOffset = u32(end + 16);
        if (count == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
            long locator = end - 20;
            if (locator < 0 || u32(locator) != ZIP64_LOCATOR) {
                throw problem("the end of directory record points to a ZIP64 record that is absent");
            }
            long zip64End = u64(locator + 8);
            if (zip64End < 0 || zip64End > locator - 56 || u32(zip64End) != ZIP64_END_OF_DIRECTORY) {
                throw problem("the ZIP64 end of directory record is missing or out of range");
            }
            count = u64(zip64End + 32);
            directorySize = u64(zip64End + 40);
            directoryOffset = u64(zip64End + 48);
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset > end || directorySize > end - directoryOffset) {
            throw problem("the central directory [" + directoryOffset + ", +" + directorySize
                    + ") lies outside the file");
        }
        if (count < 0 || count > directorySize / CENTRAL_HEADER_SIZE) {
            throw problem("the central directory claims " + count + " entries in " + directorySize + " bytes");
        }
        Map<String, MemorySegment> result = new LinkedHashMap<>();
        long at = directoryOffset;
        long directoryEnd = directoryOffset + directorySize;
        for (long i = 0; i < count; i++) {
            if (at + CENTRAL_HEADER_SIZE > directoryEnd || u32(at) != CENTRAL_HEADER) {
                throw problem("central directory entry " + i + " at offset " + at + " is malformed");
            }
            int flags = u16(at + 8);
            int method = u16(at + 10);
            long compressedSize = u32(at + 20);
            long size = u32(at + 24);
            int nameLength = u16(at + 28);
            int extraLength = u16(at + 30);
            int commentLength = u16(at + 32);
            long localOffset = u32(at + 42);
            long next = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
            if (next > directoryEnd) {
                throw problem("central directory entry " + i + " runs past the directory");
            }
            String name = new String(bytes(at + CENTRAL_HEADER_SIZE, nameLength), StandardCharsets.UTF_8);
            if (size == 0xFFFFFFFFL || compressedSize == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
                long[] wide = zip64Sizes(name, at + CENTRAL_HEADER_SIZE + nameLength, extraLength,
                        size, compressedSize, localOffset);
                size = wide[0];
                compressedSize = wide[1];
                localOffset = wide[2];
            }
            if ((flags & 1) != 0) {
                throw problem("zip entry '" + name + "' is encrypted");
            }
            if (method != 0 || compressedSize != size) {
                throw problem("zip entry '" + name + "' is compressed (method " + method + "); torch.save stores "
                        + "entries uncompressed, so re-save the checkpoint with torch.save");
            }
            MemorySegment data = entryData(name, localOffset, size, directoryOffset);
            if (result.put(name, data) != null) {
                throw problem("zip entry '" + name + "' appears twice");
            }
            at = next;
        }
        return result;
    }

    /** Scans back from the end for the end-of-central-directory record (it may be followed by a comment). */
    private long findEndOfDirectory() throws CheckpointException {
        long size = file.byteSize();
        long last = size - END_OF_DIRECTORY_SIZE;
        long first = Math.max(0, last - 0xFFFF);
        for (long at = last; at >= first; at--) {
            if (u32(at) == END_OF_DIRECTORY && at + END_OF_DIRECTORY_SIZE + u16(at + 20) <= size) {
                return at;
            }
        }
        throw problem("no zip end of central directory record: the file is truncated or not a zip archive");
    }

    /** Sizes and offset from the ZIP64 extra field, which holds only the values saturated in the header. */
    private long[] zip64Sizes(String name, long extra, int extraLength, long size, long compressedSize,
                              long localOffset) throws CheckpointException {
        long end = extra + extraLength;
        for (long at = extra; at + 4 <= end; ) {
            int id = u16(at);
            int length = u16(at + 2);
            long field = at + 4;
            if (field + length > end) {
                break;
            }
            if (id == 0x0001) {
                long[] values = {size, compressedSize, localOffset};
                long read = field;
                for (int k = 0; k < 3; k++) {
                    if (values[k] == 0xFFFFFFFFL) {
                        if (read + 8 > field + length) {
                            throw problem("zip entry '" + name + "' has a short ZIP64 extra field");
                        }
                        values[k] = u64(read);
                        read += 8;
                    }
                }
                return values;
            }
            at = field + length;
        }
        throw problem("zip entry '" + name + "' lacks its ZIP64 extra field");
    }

    private MemorySegment entryData(String name, long localOffset, long size, long directoryOffset)
            throws CheckpointException {
        if (localOffset < 0 || localOffset > directoryOffset - LOCAL_HEADER_SIZE || u32(localOffset) != LOCAL_HEADER) {
            throw problem("zip entry '" + name + "' has no local header at offset " + localOffset);
        }
        long start = localOffset + LOCAL_HEADER_SIZE + u16(localOffset + 26) + u16(localOffset + 28);
        if (size < 0 || start > directoryOffset || size > directoryOffset - start) {
            throw problem("zip entry '" + name + "' of " + size + " bytes at offset " + start
                    + " runs past the entry data");
        }
        return file.asSlice(start, size);
    }

    private int u16(long at) throws CheckpointException {
        require(at, 2);
        return file.get(U16, at) & 0xFFFF;
    }

    private long u32(long at) throws CheckpointException {
        require(at, 4);
        return file.get(U32, at) & 0xFFFFFFFFL;
    }

    /** A ZIP64 value; those beyond {@code Long.MAX_VALUE} come back negative and are refused by the callers. */
    private long u64(long at) throws CheckpointException {
        require(at, 8);
        return file.get(U64, at);
    }

    private byte[] bytes(long at, int length) throws CheckpointException {
        require(at, length);
        return file.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private void require(long at, long length) throws CheckpointException {
        if (at < 0 || at > file.byteSize() - length) {
            throw problem("zip structure at offset " + at + " runs past the end of the " + file.byteSize()
                    + "-byte file");
        }
    }

    private CheckpointException problem(String message) {
        return CheckpointException.of(path, null, message);
    }
}
