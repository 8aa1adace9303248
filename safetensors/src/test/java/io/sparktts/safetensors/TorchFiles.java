package io.sparktts.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small torch.save-style archives for tests: a pickle written opcode by opcode and a stored zip. */
final class TorchFiles {
    private TorchFiles() {}

    /** One tensor of a hand-made state dict: a view of storage {@code key}. */
    record Spec(String name, String storageType, String key, long numel, long offset, long[] size, long[] stride,
                boolean parameter) {
        static Spec contiguous(String name, String storageType, String key, long... size) {
            long[] stride = new long[size.length];
            long n = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                stride[d] = n;
                n *= size[d];
            }
            return new Spec(name, storageType, key, n, 0, size, stride, false);
        }
    }

    /** A protocol-2 pickle writer with just the opcodes torch.save emits. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle proto() {
            return op(0x80).op(2);
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            writeLittleEndian(b.length, 4);
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            if (v >= 0 && v < 256) {
                return op('K').op((int) v);
            }
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');
                writeLittleEndian(v, 4);
                return this;
            }
            op(0x8a).op(8);
            writeLittleEndian(v, 8);
            return this;
        }

        Pickle tuple(long... values) {
            op('(');
            for (long v : values) integer(v);
            return op('t');
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void writeLittleEndian(long v, int n) {
            for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    /** {@code OrderedDict} of the given tensors, pickled as torch.save does (without the _metadata BUILD). */
    static byte[] stateDict(List<Spec> specs) {
        Pickle p = new Pickle().proto().global("collections", "OrderedDict").op(')').op('R').op('(');
        for (Spec s : specs) {
            p.string(s.name());
            if (s.parameter()) {
                p.global("torch._utils", "_rebuild_parameter").op('(');
            }
            p.global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').string("storage").global("torch", s.storageType()).string(s.key()).string("cpu")
                    .integer(s.numel()).op('t').op('Q');
            p.integer(s.offset()).tuple(s.size()).tuple(s.stride()).op(0x89)
                    .global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
            if (s.parameter()) {
                p.op(0x88).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
            }
        }
        return p.op('u').op('.').bytes();
    }

    /** Writes the entries as a zip archive, stored (uncompressed) unless named in {@code deflated}. */
    static void writeZip(Path file, Map<String, byte[]> entries, String... deflated) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                if (List.of(deflated).contains(e.getKey())) {
                    z.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCompressedSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /**
     * Writes the entries as a stored zip in its ZIP64 form, as writers do for archives over 4 GiB: every central
     * directory size and offset saturated and given in a ZIP64 extra field, and the end record pointing to a ZIP64 one.
     */
    static void writeZip64(Path file, Map<String, byte[]> entries) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 23).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            offsets.put(e.getKey(), b.position());
            b.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt((int) crc(e.getValue())).putInt(e.getValue().length).putInt(e.getValue().length)
                    .putShort((short) name.length).putShort((short) 0).put(name).put(e.getValue());
        }
        int directory = b.position();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            b.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                    .putInt(0).putInt((int) crc(e.getValue())).putInt(-1).putInt(-1)
                    .putShort((short) name.length).putShort((short) 28).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(-1).put(name)
                    .putShort((short) 1).putShort((short) 24).putLong(e.getValue().length)
                    .putLong(e.getValue().length).putLong(offsets.get(e.getKey()));
        }
        int zip64End = b.position();
        b.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(entries.size()).putLong(entries.size()).putLong(zip64End - directory).putLong(directory);
        b.putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) -1).putShort((short) -1)
                .putInt(-1).putInt(-1).putShort((short) 0);
        Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /** The entries of a zip archive, in order (for rewriting the golden checkpoint with a change). */
    static Map<String, byte[]> readZip(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry z = it.nextElement();
                entries.put(z.getName(), zip.getInputStream(z).readAllBytes());
            }
        }
        return entries;
    }

    /** A checkpoint archive {@code archive/} holding {@code pickle} and the given storages. */
    static void writeCheckpoint(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        storages.forEach((key, bytes) -> entries.put("archive/data/" + key, bytes));
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        writeZip(file, entries);
    }

    static byte[] littleEndianFloats(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    static byte[] littleEndianLongs(long... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return b.array();
    }
}
