package io.sparktts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    /** The wav2vec2-tiny golden checkpoint in the released pytorch_model.bin layout (safetensors module fixture). */
    static final Path BIN = Path.of("../safetensors/src/test/resources/golden/wav2vec2-tiny/pytorch_model.bin");

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... argv) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(argv);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void listsSafetensorsTensorsAndMetadata() throws Exception {
        Path file = dir.resolve("m.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .add("w", DType.BF16, new long[] {2, 3}, new float[6])
                .add("ids", DType.I64, new long[] {4}, new long[4])
                .write(file);
        Run r = run("inspect", file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                w\tBF16\t[2, 3]\t12
                ids\tI64\t[4]\t32
                # 2 tensors, 44 bytes
                # metadata format = pt
                """, r.out().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void listsPyTorchCheckpointTensors() {
        Run r = run("inspect", BIN.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(317 + 1, lines.size());
        assertEquals("wav2vec2.masked_spec_embed\tF32\t[32]\t128", lines.getFirst());
        assertTrue(lines.contains("wav2vec2.encoder.pos_conv_embed.conv.weight_v\tF32\t[32, 8, 16]\t16384"), r.out());
        assertTrue(lines.getLast().startsWith("# 317 tensors, "), lines.getLast());
    }

    @Test
    void badFileIsOneLineWithExitCode1() throws Exception {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        Run r = run("inspect", file.toString());
        assertEquals(1, r.code());
        assertEquals("spark-tts inspect: " + file + ": file of 3 bytes is too short for a safetensors header\n",
                r.err().replace(System.lineSeparator(), "\n"));
        assertEquals("", r.out());
    }

    @Test
    void wrongArgumentsAreUsageErrors() {
        Run none = run("inspect");
        assertEquals(2, none.code());
        assertEquals("spark-tts inspect: expected exactly one FILE (see spark-tts inspect --help)\n",
                none.err().replace(System.lineSeparator(), "\n"));
        Run unknown = run("inspect", "--bogus", "1", "x.safetensors");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("spark-tts inspect: unknown option --bogus"), unknown.err());
        Run help = run("inspect", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("usage: spark-tts inspect FILE"), help.out());
    }
}
