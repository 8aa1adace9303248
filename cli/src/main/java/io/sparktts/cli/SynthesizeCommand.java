package io.sparktts.cli;

import io.sparktts.core.SparkTts;
import io.sparktts.core.audio.WavWriter;
import io.sparktts.core.pipeline.SamplingParameters;
import io.sparktts.core.qwen2.WeightPrecision;
import io.sparktts.core.voice.VoiceAttributes;
import io.sparktts.core.voice.VoiceProfile;
import io.sparktts.core.voice.VoiceProfileFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Text to a WAV file: voice cloning from a recording, voice creation from gender, pitch and speed, or a saved voice. */
final class SynthesizeCommand implements Command {

    @Override
    public String name() {
        return "synthesize";
    }

    @Override
    public String summary() {
        return "speak a text in a cloned voice (--prompt), a created one (--gender) or a saved one (--voice)";
    }

    @Override
    public String usage() {
        return """
                usage: spark-tts synthesize --model DIR (--text TEXT | --text-file FILE) --out OUT.wav
                                            (--prompt WAV [--prompt-text T] | --gender G [--pitch L] [--speed L]
                                             | --voice PROFILE) [options]
                  --model DIR           the Spark-TTS-0.5B checkpoint folder (config.yaml, LLM/, BiCodec/)
                  --text TEXT           the text to speak; --text-file FILE reads it from a UTF-8 file
                  --prompt WAV          voice cloning: speak in the voice of this recording (about 6 s is used)
                  --prompt-text T       the recording's transcript: the LM then continues its speech (needs
                                        the checkpoint's wav2vec2-large-xlsr-53/)
                  --gender G            female | male: voice creation, the LM designs the voice
                  --pitch L, --speed L  very_low | low | moderate | high | very_high (default moderate)
                  --voice PROFILE       speak in a saved voice (a .voice file) instead
                  --save-voice PROFILE  save the cloned or created voice, to speak later text in it with --voice
                  --out OUT.wav         the WAV file to write (mono, 16 kHz); --float writes 32-bit float samples
                sampling (upstream's defaults):
                  --temperature T       0.8; 0 is greedy
                  --top-k K             50; 0 switches it off
                  --top-p P             0.95; 1 switches it off
                  --max-new-tokens N    3000 per chunk of text (about 20 s of speech is 1000)
                  --seed S              makes the output reproducible (default: random, printed)
                  --full-vocab          sample over all LM outputs exactly as upstream does; by default the head
                                        computes only the tokens the Spark-TTS output format allows next
                  --quiet               no progress line (it is shown only on a terminal anyway)
                  --weights W           stored | f32 | bf16 | int8: how the LM's matrices are held (default stored)
                Long text is split at sentence ends into chunks of about 20 s, joined with 0.2 s pauses.""";
    }

    @Override
    public int run(Args args) throws Exception {
        Path model = args.path("model");
        String text = args.string("text", null);
        Path textFile = args.optionalPath("text-file");
        String gender = args.string("gender", null);
        String pitch = args.string("pitch", "moderate");
        String speed = args.string("speed", "moderate");
        Path voiceFile = args.optionalPath("voice");
        Path prompt = args.optionalPath("prompt");
        String promptText = args.string("prompt-text", null);
        Path saveVoice = args.optionalPath("save-voice");
        Path out = args.path("out");
        boolean asFloat = args.flag("float");
        double temperature = args.number("temperature", SamplingParameters.DEFAULT_TEMPERATURE, 0, 100);
        int topK = args.integer("top-k", SamplingParameters.DEFAULT_TOP_K, 0, Integer.MAX_VALUE);
        double topP = args.number("top-p", SamplingParameters.DEFAULT_TOP_P, 0, 1);
        int maxNewTokens = args.integer("max-new-tokens", SamplingParameters.DEFAULT_MAX_NEW_TOKENS, 1, 32768);
        String seedText = args.string("seed", null);
        long seed = seedText == null ? ThreadLocalRandom.current().nextLong(1L << 48) : args.longValue("seed", 0);
        boolean fullVocab = args.flag("full-vocab");
        boolean quiet = args.flag("quiet");
        WeightPrecision precision = precision(args.string("weights", "stored"));
        args.finish();

        if ((text == null) == (textFile == null)) {
            throw new UsageException("give the text with exactly one of --text and --text-file");
        }
        if ((gender != null ? 1 : 0) + (voiceFile != null ? 1 : 0) + (prompt != null ? 1 : 0) != 1) {
            throw new UsageException("choose the voice with exactly one of --prompt, --gender and --voice");
        }
        if (promptText != null && prompt == null) {
            throw new UsageException("--prompt-text is the transcript of --prompt");
        }
        if (voiceFile != null && saveVoice != null) {
            throw new UsageException("--save-voice saves a cloned or created voice; it cannot be used with --voice");
        }
        VoiceAttributes attributes = null;
        if (gender != null) {
            try {
                attributes = VoiceAttributes.parse(gender, pitch, speed);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (textFile != null) {
            try {
                text = Files.readString(textFile);
            } catch (NoSuchFileException e) {
                throw new UsageException("--text-file: no such file " + textFile);
            }
        }
        VoiceProfile voice = voiceFile == null ? null : VoiceProfileFile.read(voiceFile);
        SamplingParameters sampling;
        try {
            sampling = new SamplingParameters(temperature, topK, topP, maxNewTokens, seed, fullVocab);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }

        long start = System.nanoTime();
        SparkTts.Speech speech;
        try (SparkTts tts = SparkTts.load(model, precision)) {
            long loaded = System.nanoTime();
            SparkTts.Progress progress = quiet || System.console() == null || !System.console().isTerminal() ? SparkTts.Progress.NONE : progressLine(loaded);
            if (prompt != null) {
                voice = tts.cloneVoice(prompt, promptText);
            }
            speech = attributes != null ? tts.createVoice(attributes, text, sampling, progress)
                    : tts.synthesize(voice, text, sampling, progress);
            double seconds = (System.nanoTime() - loaded) / 1e9;
            if (progress != SparkTts.Progress.NONE) {
                System.err.println();
            }
            WavWriter.write(out, speech.audio(), speech.sampleRate(), asFloat ? WavWriter.Format.FLOAT_32 : WavWriter.Format.PCM_16);
            if (saveVoice != null) {
                VoiceProfileFile.write(speech.voice(), saveVoice);
            }
            System.err.printf(Locale.ROOT, "wrote %s: %d samples, %.2f s (%d semantic tokens, seed %d) in %.2f s after %.2f s loading%n",
                    out, speech.audio().length, speech.seconds(), speech.semanticTokens().length, seed, seconds,
                    (loaded - start) / 1e9);
        }
        return 0;
    }

    /** One line on the terminal, rewritten at most twice a second: chunk, tokens, tokens/s, speech seconds. */
    private static SparkTts.Progress progressLine(long start) {
        long[] last = {0};
        int[] total = {0};
        return (chunk, chunks, tokens, speechSeconds) -> {
            total[0]++;
            long now = System.nanoTime();
            if (now - last[0] < 500_000_000L) {
                return;
            }
            last[0] = now;
            double elapsed = (now - start) / 1e9;
            System.err.printf(Locale.ROOT, "\rchunk %d/%d: %d tokens, %.1f tokens/s, %.1f s of speech in %.1f s   ",
                    chunk + 1, chunks, tokens, total[0] / elapsed, speechSeconds, elapsed);
        };
    }

    private static WeightPrecision precision(String name) throws UsageException {
        for (WeightPrecision p : WeightPrecision.values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(name)) {
                return p;
            }
        }
        throw new UsageException("--weights '" + name + "' is not one of stored, f32, bf16, int8");
    }
}
