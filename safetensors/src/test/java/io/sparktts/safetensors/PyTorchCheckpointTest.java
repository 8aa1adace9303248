package io.sparktts.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.safetensors.TorchFiles.Spec;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchCheckpointTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/wav2vec2-tiny");
    static final Path BIN = GOLDEN.resolve("pytorch_model.bin");

    @TempDir
    Path dir;

    @Test
    void releasedLayoutEqualsTheSafetensorsCopyBitForBit() throws Exception {
        try (TensorStore bin = TensorStore.open(BIN); TensorStore st = TensorStore.open(GOLDEN.resolve("model.safetensors"))) {
            assertInstanceOf(PyTorchCheckpoint.class, bin);
            assertEquals(317, bin.names().size());
            assertEquals(310, st.names().size());
            TreeSet<String> extras = new TreeSet<>();
            for (String name : bin.names()) {
                if (name.startsWith("wav2vec2.")) {
                    Tensor a = bin.tensor(name);
                    Tensor b = st.tensor(name.substring("wav2vec2.".length()));
                    assertEquals(b.dtype(), a.dtype(), name);
                    assertArrayEquals(b.shape(), a.shape(), name);
                    assertArrayEquals(b.data().toArray(ValueLayout.JAVA_BYTE), a.data().toArray(ValueLayout.JAVA_BYTE), name);
                } else {
                    extras.add(name.substring(0, name.indexOf('.')));
                }
            }
            assertEquals(new TreeSet<>(List.of("project_hid", "project_q", "quantizer")), extras);
            assertEquals(310, bin.names().stream().filter(n -> n.startsWith("wav2vec2.")).count());
            assertArrayEquals(new long[] {32, 8, 16}, bin.tensor("wav2vec2.encoder.pos_conv_embed.conv.weight_v").shape());
            assertTrue(bin.metadata().isEmpty());
        }
    }

    @Test
    void zip64DirectoryIsRead() throws Exception {
        Path file = dir.resolve("zip64.bin");
        TorchFiles.writeZip64(file, TorchFiles.readZip(BIN));
        try (TensorStore original = TensorStore.open(BIN); TensorStore wide = TensorStore.open(file)) {
            assertEquals(List.copyOf(original.names()), List.copyOf(wide.names()));
            for (String name : original.names()) {
                assertArrayEquals(original.tensor(name).data().toArray(ValueLayout.JAVA_BYTE),
                        wide.tensor(name).data().toArray(ValueLayout.JAVA_BYTE), name);
            }
        }
    }

    @Test
    void contiguousTensorsAreViewsOfTheMappedFile() throws Exception {
        try (TensorStore bin = TensorStore.open(BIN)) {
            assertTrue(bin.tensor("wav2vec2.masked_spec_embed").data().isMapped());
        }
    }

    @Test
    void stridedViewsAreMaterializedInRowMajorOrder() throws Exception {
        Path file = dir.resolve("strided.pt");
        // storage 0..11; "t" is a [3, 2] transpose of a [2, 3] block starting at element 1; "p" a parameter of a row
        Spec transposed = new Spec("t", "FloatStorage", "0", 12, 1, new long[] {3, 2}, new long[] {1, 3}, false);
        Spec row = new Spec("p", "FloatStorage", "0", 12, 6, new long[] {1, 4}, new long[] {4, 1}, true);
        Spec ids = Spec.contiguous("ids", "LongStorage", "1", 3);
        TorchFiles.writeCheckpoint(file, TorchFiles.stateDict(List.of(transposed, row, ids)), Map.of(
                "0", TorchFiles.littleEndianFloats(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
                "1", TorchFiles.littleEndianLongs(7, -1, 1L << 40)));
        try (TensorStore store = TensorStore.open(file)) {
            assertEquals(List.of("t", "p", "ids"), List.copyOf(store.names()));
            Tensor t = store.tensor("t");
            assertArrayEquals(new long[] {3, 2}, t.shape());
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloats());
            assertArrayEquals(new float[] {6, 7, 8, 9}, store.tensor("p").toFloats());
            assertArrayEquals(new long[] {7, -1, 1L << 40}, store.tensor("ids").toLongs());
        }
    }

    @Test
    void forbiddenGlobalIsRefusedByName() throws Exception {
        Path file = dir.resolve("evil.bin");
        byte[] pickle = new TorchFiles.Pickle().proto().op('}').string("weight")
                .global("os", "system").op('(').string("echo owned").op('t').op('R').op('s').op('.').bytes();
        TorchFiles.writeCheckpoint(file, pickle, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertTrue(e.getMessage().startsWith(file + ": tensor 'weight': archive/data.pkl offset "), e.getMessage());
        assertTrue(e.getMessage().contains("global 'os.system' is not allowed"), e.getMessage());
    }

    @Test
    void everyGlobalOutsideTheStateDictVocabularyIsRefused() throws Exception {
        for (String[] g : new String[][] {{"builtins", "eval"}, {"torch", "load"}, {"torch._utils", "_rebuild_qtensor"},
                {"collections", "defaultdict"}, {"numpy.core.multiarray", "_reconstruct"}}) {
            Path file = dir.resolve("g.bin");
            TorchFiles.writeCheckpoint(file, new TorchFiles.Pickle().proto().global(g[0], g[1]).op('.').bytes(), Map.of());
            CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
            assertTrue(e.getMessage().contains("global '" + g[0] + "." + g[1] + "' is not allowed"), e.getMessage());
        }
    }

    @Test
    void missingStorageEntryNamesTheTensorAndTheEntry() throws Exception {
        Map<String, byte[]> entries = TorchFiles.readZip(BIN);
        assertTrue(entries.remove("pytorch_model/data/5") != null);
        Path file = dir.resolve("missing.bin");
        TorchFiles.writeZip(file, entries);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertTrue(e.getMessage().startsWith(file + ": tensor 'wav2vec2."), e.getMessage());
        assertTrue(e.getMessage().endsWith("its storage, zip entry 'pytorch_model/data/5', is missing"), e.getMessage());
    }

    @Test
    void missingPickleEntryIsNamed() throws Exception {
        Map<String, byte[]> entries = TorchFiles.readZip(BIN);
        entries.remove("pytorch_model/data.pkl");
        Path file = dir.resolve("nopickle.bin");
        TorchFiles.writeZip(file, entries);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertEquals(file + ": zip entry ARCHIVE/data.pkl is missing: not a torch.save checkpoint", e.getMessage());
    }

    @Test
    void compressedEntryIsRefused() throws Exception {
        Path file = dir.resolve("deflated.bin");
        TorchFiles.writeZip(file, TorchFiles.readZip(BIN), "pytorch_model/data/3");
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertTrue(e.getMessage().startsWith(file + ": zip entry 'pytorch_model/data/3' is compressed (method 8)"),
                e.getMessage());
    }

    @Test
    void storageOfTheWrongSizeNamesTheTensor() throws Exception {
        Path file = dir.resolve("short.bin");
        TorchFiles.writeCheckpoint(file, TorchFiles.stateDict(List.of(Spec.contiguous("w", "FloatStorage", "0", 2, 3))),
                Map.of("0", TorchFiles.littleEndianFloats(1, 2, 3, 4, 5)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertEquals(file + ": tensor 'w': zip entry 'archive/data/0' holds 20 bytes but a storage of 6 F32 needs 6 x 4",
                e.getMessage());
    }

    @Test
    void viewBeyondItsStorageNamesTheTensor() throws Exception {
        Path file = dir.resolve("beyond.bin");
        Spec s = new Spec("w", "HalfStorage", "0", 4, 2, new long[] {2, 2}, new long[] {2, 1}, false);
        TorchFiles.writeCheckpoint(file, TorchFiles.stateDict(List.of(s)), Map.of("0", new byte[8]));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertEquals(file + ": tensor 'w': view (offset 2, size [2, 2], stride [2, 1]) reaches element 5 of a storage of 4 elements",
                e.getMessage());
    }

    @Test
    void broadcastViewIsRefused() throws Exception {
        Path file = dir.resolve("expand.bin");
        Spec s = new Spec("w", "FloatStorage", "0", 2, 0, new long[] {3, 2}, new long[] {0, 1}, false);
        TorchFiles.writeCheckpoint(file, TorchFiles.stateDict(List.of(s)), Map.of("0", new byte[8]));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertTrue(e.getMessage().startsWith(file + ": tensor 'w': view (offset 0, size [3, 2], stride [0, 1]) repeats"),
                e.getMessage());
    }

    @Test
    void nonTensorValueIsNamed() throws Exception {
        Path file = dir.resolve("int.bin");
        byte[] pickle = new TorchFiles.Pickle().proto().op('}').string("step").integer(5).op('s').op('.').bytes();
        TorchFiles.writeCheckpoint(file, pickle, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertEquals(file + ": tensor 'step': is an integer, not a tensor", e.getMessage());
    }

    @Test
    void truncatedArchiveLosesItsDirectory() throws Exception {
        byte[] all = Files.readAllBytes(BIN);
        Path file = dir.resolve("cut.bin");
        Files.write(file, Arrays.copyOf(all, all.length - 100));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertEquals(file + ": no zip end of central directory record: the file is truncated or not a zip archive",
                e.getMessage());
    }

    @Test
    void legacyFormatIsRefusedWithAHint() throws Exception {
        Path file = dir.resolve("old.pt");
        Files.write(file, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        CheckpointException e = assertThrows(CheckpointException.class, () -> TensorStore.open(file));
        assertTrue(e.getMessage().startsWith(file + ": is a legacy (before PyTorch 1.6) torch.save file"), e.getMessage());
    }

    @Test
    void zipContentIsDetectedWhateverTheFileName() throws Exception {
        Path file = dir.resolve("weights.ckpt");
        Files.copy(BIN, file);
        try (TensorStore store = TensorStore.open(file)) {
            assertInstanceOf(PyTorchCheckpoint.class, store);
        }
    }

    @Test
    void unknownTensorIsNamed() throws Exception {
        try (TensorStore bin = TensorStore.open(BIN)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> bin.tensor("nope"));
            assertEquals(BIN + ": tensor 'nope': no such tensor", e.getMessage());
        }
    }
}
