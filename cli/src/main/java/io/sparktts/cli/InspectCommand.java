package io.sparktts.cli;

import io.sparktts.safetensors.Tensor;
import io.sparktts.safetensors.TensorStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Lists the tensors of a checkpoint file: name, dtype, shape, bytes; then the metadata. */
final class InspectCommand implements Command {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "list the tensors of a safetensors file, shard index or PyTorch checkpoint";
    }

    @Override
    public String usage() {
        return """
                usage: spark-tts inspect FILE
                  FILE  a .safetensors file, a *.safetensors.index.json of a sharded checkpoint,
                        or a PyTorch checkpoint (pytorch_model.bin)
                prints one line per tensor (name, dtype, shape, bytes), a total, then the metadata""";
    }

    @Override
    public int run(Args args) throws Exception {
        List<String> files = args.positional();
        args.finish();
        if (files.size() != 1) {
            throw new UsageException("expected exactly one FILE");
        }
        try (TensorStore store = TensorStore.open(Path.of(files.getFirst()))) {
            long total = 0;
            for (String name : store.names()) {
                Tensor t = store.tensor(name);
                long bytes = t.data().byteSize();
                total += bytes;
                System.out.printf("%s\t%s\t%s\t%d%n", name, t.dtype(), Arrays.toString(t.shape()), bytes);
            }
            System.out.printf("# %d tensors, %d bytes%n", store.names().size(), total);
            for (Map.Entry<String, String> e : store.metadata().entrySet()) {
                System.out.printf("# metadata %s = %s%n", e.getKey(), e.getValue());
            }
        }
        return 0;
    }
}
