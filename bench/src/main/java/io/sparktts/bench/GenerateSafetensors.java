package io.sparktts.bench;

import io.sparktts.safetensors.DType;
import io.sparktts.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/**
 * Writes a large random F32 safetensors file for benchmarks: {@code layers.N.weight} tensors of 64 MiB each, which
 * share one random block so that generating costs disk bandwidth rather than heap, and a 1 MiB {@code probe} tensor.
 * <p>usage: {@code bin/bench tool GenerateSafetensors OUT.safetensors SIZE_MIB}
 */
public final class GenerateSafetensors {

    static final int LAYER_ROWS = 4096;
    static final int LAYER_COLS = 4096;
    static final int PROBE_SIDE = 512;
    static final String PROBE = "probe";

    private GenerateSafetensors() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[1].matches("[0-9]{1,7}")) {
            System.err.println("usage: GenerateSafetensors OUT.safetensors SIZE_MIB");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long mib = Long.parseLong(args[1]);
        generate(out, mib);
        System.err.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }

    /** Writes at least {@code mib} MiB of tensor data to {@code out}. */
    static void generate(Path out, long mib) throws IOException {
        long layerBytes = (long) LAYER_ROWS * LAYER_COLS * Float.BYTES;
        long layers = Math.max(1, ((mib << 20) + layerBytes - 1) / layerBytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = randomFloats(arena, (long) LAYER_ROWS * LAYER_COLS, 1);
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt")
                    .metadata("generator", GenerateSafetensors.class.getSimpleName());
            for (long i = 0; i < layers; i++) {
                writer.addBytes("layers." + i + ".weight", DType.F32, new long[] {LAYER_ROWS, LAYER_COLS}, block);
            }
            writer.addBytes(PROBE, DType.F32, new long[] {PROBE_SIDE, PROBE_SIDE},
                    randomFloats(arena, (long) PROBE_SIDE * PROBE_SIDE, 2));
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, out.getFileName().toString(), ".partial");
            writer.write(partial);
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MemorySegment randomFloats(Arena arena, long count, long seed) {
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);
        MemorySegment s = arena.allocate(count * Float.BYTES, Float.BYTES);
        SplittableRandom random = new SplittableRandom(seed);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(f32, i, (float) random.nextGaussian() * 0.02f);
        }
        return s;
    }
}
