package io.sparktts.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a large random F32 checkpoint in the {@code torch.save(state_dict)} layout, as the released wav2vec2
 * weights ship: a zip of stored entries {@code archive/data.pkl} (a protocol-2 pickled OrderedDict of
 * {@code _rebuild_tensor_v2} calls) and one {@code archive/data/N} storage per tensor, each aligned to 64 bytes.
 * Tensors are {@code layers.N.weight} of 64 MiB sharing one random block, then a 1 MiB {@code probe}.
 * <p>usage: {@code bin/bench tool GeneratePyTorchCheckpoint OUT.bin SIZE_MIB}
 */
public final class GeneratePyTorchCheckpoint {

    private static final int ALIGNMENT = 64;

    private GeneratePyTorchCheckpoint() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[1].matches("[0-9]{1,7}")) {
            System.err.println("usage: GeneratePyTorchCheckpoint OUT.bin SIZE_MIB");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        generate(out, Long.parseLong(args[1]));
        System.err.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }

    /** Writes at least {@code mib} MiB of tensor data to {@code out}. */
    static void generate(Path out, long mib) throws IOException {
        int rows = GenerateSafetensors.LAYER_ROWS;
        int cols = GenerateSafetensors.LAYER_COLS;
        int side = GenerateSafetensors.PROBE_SIDE;
        long layerBytes = (long) rows * cols * Float.BYTES;
        int layers = (int) Math.max(1, ((mib << 20) + layerBytes - 1) / layerBytes);
        byte[] block = randomFloats(rows * cols, 1);
        byte[] probe = randomFloats(side * side, 2);

        StatePickle pickle = new StatePickle();
        for (int i = 0; i < layers; i++) {
            pickle.tensor("layers." + i + ".weight", String.valueOf(i), rows, cols);
        }
        pickle.tensor(GenerateSafetensors.PROBE, String.valueOf(layers), side, side);

        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, out.getFileName().toString(), ".partial");
        try (CountingStream counted = new CountingStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20));
             ZipOutputStream zip = new ZipOutputStream(counted)) {
            store(zip, counted, "archive/data.pkl", pickle.finish());
            long crc = crc(block);
            for (int i = 0; i < layers; i++) {
                store(zip, counted, "archive/data/" + i, block, crc);
            }
            store(zip, counted, "archive/data/" + layers, probe);
            store(zip, counted, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            store(zip, counted, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void store(ZipOutputStream zip, CountingStream counted, String name, byte[] data) throws IOException {
        store(zip, counted, name, data, crc(data));
    }

    /** A stored entry whose data starts on a multiple of {@link #ALIGNMENT}, padded by an extra field as torch does. */
    private static void store(ZipOutputStream zip, CountingStream counted, String name, byte[] data, long crc)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc);
        int header = 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
        int pad = (int) ((ALIGNMENT - (counted.written + header) % ALIGNMENT) % ALIGNMENT);
        ByteBuffer extra = ByteBuffer.allocate(4 + pad).order(ByteOrder.LITTLE_ENDIAN);
        extra.putShort((short) 0x4246).putShort((short) pad); // "FB", the id torch's writer pads with
        entry.setExtra(extra.array());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    private static byte[] randomFloats(int count, long seed) {
        ByteBuffer b = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            b.putFloat((float) random.nextGaussian() * 0.02f);
        }
        return b.array();
    }

    /** The pickle {@code torch.save} writes for an OrderedDict of contiguous 2-D float tensors. */
    private static final class StatePickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        StatePickle() {
            op(0x80).op(2); // PROTO 2
            global("collections", "OrderedDict").op(')').op('R').op('(');
        }

        void tensor(String name, String key, int rows, int cols) {
            string(name);
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').string("storage").global("torch", "FloatStorage").string(key).string("cpu")
                    .integer((long) rows * cols).op('t').op('Q'); // persistent id, BINPERSID
            integer(0).op('(').integer(rows).integer(cols).op('t').op('(').integer(cols).integer(1).op('t');
            op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t').op('R'); // requires_grad, hooks
        }

        byte[] finish() {
            return op('u').op('.').out.toByteArray(); // SETITEMS, STOP
        }

        private StatePickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        private StatePickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        private StatePickle string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').littleEndian(b.length, 4);
            out.writeBytes(b);
            return this;
        }

        private StatePickle integer(long v) {
            if (v >= 0 && v < 256) {
                return op('K').op((int) v);
            }
            return op('J').littleEndian(v, 4); // BININT: every count here fits 31 bits
        }

        private StatePickle littleEndian(long v, int bytes) {
            for (int i = 0; i < bytes; i++) {
                out.write((int) (v >>> (8 * i)) & 0xFF);
            }
            return this;
        }
    }

    /** Counts bytes on their way to the file, to place each entry's data on an aligned offset. */
    private static final class CountingStream extends FilterOutputStream {
        long written;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
        }
    }
}
