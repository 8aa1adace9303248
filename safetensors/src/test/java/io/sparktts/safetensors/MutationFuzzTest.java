package io.sparktts.safetensors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparktts.safetensors.TorchFiles.Spec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random byte flips, overwrites and truncations of valid checkpoints: every mutant either opens and reads
 * completely or fails with a {@link CheckpointException}; nothing else (no runtime exception, error or hang) escapes.
 */
class MutationFuzzTest {

    private static final byte[] INTERESTING = {0, 1, (byte) 0xFF, 0x7F, (byte) 0x80, '0', '9', '"', ',', '{', '}',
            '[', ']', 'K', 'X', 'q', 'h', 'R', '.', '(', 't', 'c', '\n'};

    @TempDir
    Path dir;

    /** How the mutants of one base file fared. */
    private record Outcome(int opened, int refused) {}

    @Test
    void safetensorsMutants() throws Exception {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt").metadata("note", "fuzz base")
                .add("f64", DType.F64, new long[] {2}, new double[] {1.5, -2})
                .add("f32", DType.F32, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .add("f16", DType.F16, new long[] {3}, new float[] {0.5f, -1, 65504})
                .add("bf16", DType.BF16, new long[] {2}, new float[] {3.25f, -0.125f})
                .add("empty", DType.F32, new long[] {0, 4}, new float[0])
                .add("i64", DType.I64, new long[] {2}, new long[] {Long.MIN_VALUE, 7})
                .add("i32", DType.I32, new long[] {1}, new long[] {-9})
                .add("i16", DType.I16, new long[] {2}, new long[] {300, -300})
                .add("i8", DType.I8, new long[] {2}, new long[] {-128, 127})
                .add("u8", DType.U8, new long[] {1, 1}, new long[] {200})
                .add("bool", DType.BOOL, new long[] {2}, new long[] {0, 1});
        Path base = dir.resolve("base.safetensors");
        writer.write(base);
        Outcome o = fuzz(Files.readAllBytes(base), "mutant.safetensors", 0, Integer.MAX_VALUE, 1500, 20260101L);
        assertTrue(o.opened() > 50 && o.refused() > 400, o.toString());
    }

    @Test
    void pytorchMutants() throws Exception {
        Path base = dir.resolve("base.bin");
        List<Spec> specs = List.of(
                Spec.contiguous("w", "FloatStorage", "0", 2, 3),
                new Spec("t", "FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3}, false),
                new Spec("p", "HalfStorage", "1", 4, 1, new long[] {3}, new long[] {1}, true),
                Spec.contiguous("ids", "LongStorage", "2", 2),
                Spec.contiguous("mask", "BoolStorage", "3", 3));
        TorchFiles.writeCheckpoint(base, TorchFiles.stateDict(specs), Map.of(
                "0", TorchFiles.littleEndianFloats(1, 2, 3, 4, 5, 6),
                "1", new byte[] {0, 0x3C, 0, (byte) 0xC0, 0, 0x38, 0, 0},
                "2", TorchFiles.littleEndianLongs(-1, 1L << 33),
                "3", new byte[] {1, 0, 1}));
        Outcome o = fuzz(Files.readAllBytes(base), "mutant.bin", 0, Integer.MAX_VALUE, 1500, 20260102L);
        assertTrue(o.opened() > 50 && o.refused() > 400, o.toString());
    }

    /** The released layout (with the state dict's _metadata BUILD); mutations land in the pickle or the directory. */
    @Test
    void releasedLayoutMutants() throws Exception {
        byte[] valid = Files.readAllBytes(PyTorchCheckpointTest.BIN);
        int structure = 48 << 10;
        Outcome head = fuzz(valid, "head.bin", 0, structure, 150, 20260103L);
        Outcome tail = fuzz(valid, "tail.bin", valid.length - structure, valid.length, 150, 20260104L);
        assertTrue(head.refused() > 15 && tail.refused() > 15, head + " " + tail);
    }

    /**
     * Opens {@code iterations} mutants of {@code valid}, each with changes at positions in {@code [from, to)} or a
     * truncation, and reads every tensor of those that open.
     */
    private Outcome fuzz(byte[] valid, String fileName, int from, int to, int iterations, long seed)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve(fileName);
        int end = Math.min(to, valid.length);
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] mutant = valid.clone();
            String change;
            int kind = random.nextInt(4);
            if (kind == 3) {
                int length = random.nextInt(valid.length);
                mutant = Arrays.copyOf(mutant, length);
                change = "truncated to " + length;
            } else {
                StringBuilder b = new StringBuilder();
                for (int k = random.nextInt(1, 4); k > 0; k--) {
                    int at = random.nextInt(from, end);
                    mutant[at] = switch (kind) {
                        case 0 -> (byte) (mutant[at] ^ (1 << random.nextInt(8)));
                        case 1 -> INTERESTING[random.nextInt(INTERESTING.length)];
                        default -> (byte) random.nextInt(256);
                    };
                    b.append(" [").append(at).append("]=").append(mutant[at] & 0xFF);
                }
                change = "bytes" + b;
            }
            overwrite(file, mutant);
            try {
                readEverything(file);
                opened++;
            } catch (CheckpointException e) {
                refused++;
            } catch (Throwable t) {
                fail("seed " + seed + " iteration " + i + " (" + change + "): " + t, t);
            }
        }
        return new Outcome(opened, refused);
    }

    /** Rewrites the file in place: truncating and recreating it each time costs a journaled metadata update. */
    private static void overwrite(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                channel.write(b, b.position());
            }
            channel.truncate(content.length);
        }
    }

    private static void readEverything(Path file) throws IOException {
        try (TensorStore store = TensorStore.open(file)) {
            store.metadata();
            for (String name : store.names()) {
                Tensor t = store.tensor(name);
                if (t.dtype().isFloatingPoint()) {
                    t.toFloats();
                } else {
                    t.toLongs();
                }
            }
        }
    }
}
