package io.sparktts.cli;

import io.sparktts.core.audio.WavWriter;
import io.sparktts.core.bicodec.BiCodecDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** BiCodec token ids (from an LM run elsewhere) to a 16 kHz WAV file. */
final class DecodeCommand implements Command {

    @Override
    public String name() {
        return "decode";
    }

    @Override
    public String summary() {
        return "turn BiCodec global and semantic token ids into a 16 kHz WAV file";
    }

    @Override
    public String usage() {
        return """
                usage: spark-tts decode --bicodec DIR --global-tokens IDS --semantic-tokens IDS --out OUT.wav [--float]
                  --bicodec DIR          the checkpoint's BiCodec folder (config.yaml, model.safetensors)
                  --global-tokens IDS    the global (speaker) token ids, e.g. 1,2,3 (32 for the released model)
                  --semantic-tokens IDS  the semantic token ids, 50 per second of audio
                  --out OUT.wav          the WAV file to write (mono, 16 kHz)
                  --float                write 32-bit float samples instead of 16-bit PCM
                IDS is a comma- or space-separated list, or @FILE to read it from FILE; the list may also be the
                LM's text (<|bicodec_global_N|> / <|bicodec_semantic_N|>), whose ids of that kind are taken.""";
    }

    @Override
    public int run(Args args) throws Exception {
        Path dir = args.path("bicodec");
        int[] global = ids(args.required("global-tokens"), "global-tokens", "global");
        int[] semantic = ids(args.required("semantic-tokens"), "semantic-tokens", "semantic");
        Path out = args.path("out");
        boolean asFloat = args.flag("float");
        args.finish();
        BiCodecDecoder decoder = BiCodecDecoder.load(dir);
        float[] wav = decoder.decode(semantic, global);
        int rate = decoder.config().sampleRate();
        WavWriter.write(out, wav, rate, asFloat ? WavWriter.Format.FLOAT_32 : WavWriter.Format.PCM_16);
        System.err.printf("wrote %s: %d samples, %.2f s%n", out, wav.length, wav.length / (double) rate);
        return 0;
    }

    /** Parses an id list, {@code @file}, or LM text with {@code <|bicodec_KIND_N|>} tokens. */
    static int[] ids(String value, String option, String kind) throws UsageException, IOException {
        String text = value;
        if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new UsageException("--" + option + ": no such file " + file);
            }
        }
        List<Integer> out = new ArrayList<>();
        if (text.contains("<|bicodec_")) {
            Matcher m = Pattern.compile("<\\|bicodec_" + kind + "_(\\d{1,9})\\|>").matcher(text);
            while (m.find()) out.add(Integer.parseInt(m.group(1)));
        } else {
            for (String part : text.trim().split("[,\\s]+")) {
                if (part.isEmpty()) continue;
                try {
                    int id = Integer.parseInt(part);
                    if (id < 0) throw new NumberFormatException();
                    out.add(id);
                } catch (NumberFormatException e) {
                    throw new UsageException("--" + option + ": '" + part + "' is not a token id");
                }
            }
        }
        if (out.isEmpty()) throw new UsageException("--" + option + ": no token ids given");
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
