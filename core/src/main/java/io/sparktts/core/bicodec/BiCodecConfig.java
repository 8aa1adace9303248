package io.sparktts.core.bicodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sparktts.core.SparkTtsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code BiCodec/config.yaml}: the audio tokenizer's top-level keys and its {@code audio_tokenizer} section, one
 * record per upstream module. Keys the upstream code reads are required; keys it accepts but ignores at inference
 * (training settings) are optional; any other key is refused by name, as is a missing or mistyped one.
 */
public record BiCodecConfig(int sampleRate, Double highpassCutoffFreq, int latentHopLength,
                            double refSegmentDuration, boolean volumeNormalize, MelParams melParams,
                            EncoderConfig encoder, QuantizerConfig quantizer, SpeakerEncoderConfig speakerEncoder,
                            FeatDecoderConfig prenet, FeatDecoderConfig postnet, WaveGeneratorConfig decoder) {

    /** {@code mel_params}: the mel spectrogram the speaker encoder reads; {@code melFmax} null means sr/2. */
    public record MelParams(int sampleRate, int nFft, int winLength, int hopLength, double melFmin, Double melFmax,
                            int numMels) {}

    /** {@code encoder}: the feature encoder (wav2vec2 features to the quantizer's input). */
    public record EncoderConfig(int inputChannels, int vocosDim, int vocosIntermediateDim, int vocosNumLayers,
                                int outChannels, List<Integer> sampleRatios) {}

    /** {@code quantizer}: FactorizedVectorQuantize (training-only keys are not kept). */
    public record QuantizerConfig(int inputDim, int codebookSize, int codebookDim) {}

    /** {@code speaker_encoder}: ECAPA-TDNN, Perceiver resampler, residual FSQ and the d-vector projection. */
    public record SpeakerEncoderConfig(int inputDim, int outDim, int latentDim, int tokenNum, List<Integer> fsqLevels,
                                       int fsqNumQuantizers) {
        /** Number of distinct global token ids: the product of the FSQ levels. */
        public int codebookSize() {
            int n = 1;
            for (int l : fsqLevels) n *= l;
            return n;
        }
    }

    /** {@code prenet} / {@code postnet}: the feature decoder; {@code conditionDim} null means unconditioned. */
    public record FeatDecoderConfig(int inputChannels, int vocosDim, int vocosIntermediateDim, int vocosNumLayers,
                                    int outChannels, Integer conditionDim, List<Integer> sampleRatios,
                                    boolean useTanhAtFinal) {}

    /** {@code decoder}: the WaveGenerator. */
    public record WaveGeneratorConfig(int inputChannel, int channels, List<Integer> rates, List<Integer> kernelSizes) {
        /** Output samples per input frame: the product of the rates. */
        public int hopLength() {
            int n = 1;
            for (int r : rates) n *= r;
            return n;
        }
    }

    /** Reads and checks {@code file}; problems are a {@link SparkTtsException} naming the file and the key. */
    public static BiCodecConfig load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            if (!Files.isRegularFile(file)) {
                throw new SparkTtsException(file + ": no such file");
            }
            throw new SparkTtsException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    /** Parses an already-read YAML tree; {@code source} names it in messages. */
    public static BiCodecConfig parse(JsonNode root, String source) throws SparkTtsException {
        Section top = new Section(root, "", source);
        int sampleRate = top.positiveInt("sample_rate");
        Double highpass = top.optionalNumber("highpass_cutoff_freq");
        int hop = top.positiveInt("latent_hop_length");
        double refSeconds = top.positiveNumber("ref_segment_duration");
        boolean volumeNormalize = top.bool("volume_normalize");
        top.ignore("segment_duration", "max_val_duration");
        Section at = top.section("audio_tokenizer");

        Section m = at.section("mel_params");
        MelParams mel = new MelParams(m.positiveInt("sample_rate"), m.positiveInt("n_fft"), m.positiveInt("win_length"),
                m.positiveInt("hop_length"), m.number("mel_fmin"), m.optionalNumber("mel_fmax"),
                m.positiveInt("num_mels"));
        m.finish();

        Section e = at.section("encoder");
        EncoderConfig encoder = new EncoderConfig(e.positiveInt("input_channels"), e.positiveInt("vocos_dim"),
                e.positiveInt("vocos_intermediate_dim"), e.positiveInt("vocos_num_layers"),
                e.positiveInt("out_channels"), e.optionalRatios("sample_ratios"));
        e.finish();

        Section q = at.section("quantizer");
        QuantizerConfig quantizer = new QuantizerConfig(q.positiveInt("input_dim"), q.positiveInt("codebook_size"),
                q.positiveInt("codebook_dim"));
        q.ignore("commitment", "codebook_loss_weight", "decay", "threshold_ema_dead_code", "momentum",
                "use_l2_normlize");
        q.finish();

        Section s = at.section("speaker_encoder");
        SpeakerEncoderConfig speaker = new SpeakerEncoderConfig(s.positiveInt("input_dim"), s.positiveInt("out_dim"),
                s.positiveInt("latent_dim"), s.positiveInt("token_num"), s.intList("fsq_levels", 2),
                s.positiveInt("fsq_num_quantizers"));
        s.finish();
        long codebook = 1;
        for (int l : speaker.fsqLevels()) codebook *= l;
        if (codebook > Integer.MAX_VALUE) {
            throw s.error("fsq_levels", "has " + codebook + " codes, too many");
        }

        FeatDecoderConfig prenet = featDecoder(at.section("prenet"));
        FeatDecoderConfig postnet = featDecoder(at.section("postnet"));

        Section d = at.section("decoder");
        WaveGeneratorConfig decoder = new WaveGeneratorConfig(d.positiveInt("input_channel"), d.positiveInt("channels"),
                d.intList("rates", 1), d.intList("kernel_sizes", 1));
        if (decoder.rates().size() != decoder.kernelSizes().size()) {
            throw d.error("kernel_sizes", "has " + decoder.kernelSizes().size() + " entries but rates has "
                    + decoder.rates().size());
        }
        if (decoder.channels() >> decoder.rates().size() < 1) {
            throw d.error("channels", decoder.channels() + " cannot be halved " + decoder.rates().size() + " times");
        }
        d.finish();
        at.finish();
        top.finish();
        return new BiCodecConfig(sampleRate, highpass, hop, refSeconds, volumeNormalize, mel, encoder, quantizer,
                speaker, prenet, postnet, decoder);
    }

    private static FeatDecoderConfig featDecoder(Section p) throws SparkTtsException {
        FeatDecoderConfig c = new FeatDecoderConfig(p.positiveInt("input_channels"), p.positiveInt("vocos_dim"),
                p.positiveInt("vocos_intermediate_dim"), p.positiveInt("vocos_num_layers"),
                p.positiveInt("out_channels"), p.optionalPositiveInt("condition_dim"), p.optionalRatios("sample_ratios"),
                p.optionalBool("use_tanh_at_final", false));
        p.finish();
        return c;
    }

    /** One mapping of the YAML tree; remembers which keys were read so {@link #finish} can refuse the others. */
    private static final class Section {
        private static final int MAX_SIZE = 1 << 20;
        private final JsonNode node;
        private final String path;
        private final String source;
        private final Set<String> read = new HashSet<>();

        Section(JsonNode node, String path, String source) throws SparkTtsException {
            this.node = node;
            this.path = path;
            this.source = source;
            if (node == null || !node.isObject()) {
                throw new SparkTtsException(source + ": " + (path.isEmpty() ? "the file" : "'" + path + "'")
                        + " is not a mapping");
            }
        }

        Section section(String key) throws SparkTtsException {
            return new Section(required(key), qualified(key), source);
        }

        void ignore(String... keys) {
            read.addAll(List.of(keys));
        }

        int positiveInt(String key) throws SparkTtsException {
            return checkedInt(key, required(key), 1);
        }

        Integer optionalPositiveInt(String key) throws SparkTtsException {
            JsonNode v = optional(key);
            return v == null ? null : checkedInt(key, v, 1);
        }

        double number(String key) throws SparkTtsException {
            JsonNode v = required(key);
            if (!v.isNumber()) throw error(key, "is " + describe(v) + ", expected a number");
            return v.doubleValue();
        }

        double positiveNumber(String key) throws SparkTtsException {
            double d = number(key);
            if (!(d > 0) || Double.isInfinite(d)) throw error(key, "is " + d + ", expected a positive number");
            return d;
        }

        Double optionalNumber(String key) throws SparkTtsException {
            JsonNode v = optional(key);
            if (v == null) return null;
            if (!v.isNumber()) throw error(key, "is " + describe(v) + ", expected a number or null");
            return v.doubleValue();
        }

        boolean bool(String key) throws SparkTtsException {
            JsonNode v = required(key);
            if (!v.isBoolean()) throw error(key, "is " + describe(v) + ", expected true or false");
            return v.booleanValue();
        }

        boolean optionalBool(String key, boolean fallback) throws SparkTtsException {
            JsonNode v = optional(key);
            if (v == null) return fallback;
            if (!v.isBoolean()) throw error(key, "is " + describe(v) + ", expected true or false");
            return v.booleanValue();
        }

        List<Integer> intList(String key, int min) throws SparkTtsException {
            JsonNode v = required(key);
            if (!v.isArray() || v.isEmpty()) throw error(key, "is " + describe(v) + ", expected a non-empty list");
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) out.add(checkedInt(key + "[" + i + "]", v.get(i), min));
            return List.copyOf(out);
        }

        /** Upstream's default for an absent {@code sample_ratios} is [1, 1]. */
        List<Integer> optionalRatios(String key) throws SparkTtsException {
            return optional(key) == null ? List.of(1, 1) : intList(key, 1);
        }

        void finish() throws SparkTtsException {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!read.contains(key)) throw error(key, "is not a known key");
            }
        }

        SparkTtsException error(String key, String problem) {
            return new SparkTtsException(source + ": '" + qualified(key) + "' " + problem);
        }

        private int checkedInt(String key, JsonNode v, int min) throws SparkTtsException {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw error(key, "is " + describe(v) + ", expected an integer");
            }
            int n = v.intValue();
            if (n < min || n > MAX_SIZE) throw error(key, "is " + n + ", expected " + min + ".." + MAX_SIZE);
            return n;
        }

        private JsonNode required(String key) throws SparkTtsException {
            read.add(key);
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new SparkTtsException(source + ": missing key '" + qualified(key) + "'");
            }
            return v;
        }

        private JsonNode optional(String key) {
            read.add(key);
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : v;
        }

        private String qualified(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private static String describe(JsonNode v) {
            return v.isTextual() ? "'" + v.textValue() + "'" : v.toString();
        }
    }
}
