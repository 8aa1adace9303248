package io.sparktts.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparktts.core.bicodec.BiCodecConfig;
import io.sparktts.core.bicodec.BiCodecDecoder;
import io.sparktts.core.bicodec.BiCodecTokenizer;
import io.sparktts.core.pipeline.SamplingParameters;
import io.sparktts.core.pipeline.SpeechGrammar;
import io.sparktts.core.prompt.SparkPrompt;
import io.sparktts.core.prompt.SparkVocabulary;
import io.sparktts.core.qwen2.Qwen2Model;
import io.sparktts.core.qwen2.Qwen2Session;
import io.sparktts.core.qwen2.WeightPrecision;
import io.sparktts.core.sampling.GenerationConfig;
import io.sparktts.core.sampling.LogitsRestriction;
import io.sparktts.core.sampling.Sampler;
import io.sparktts.core.sampling.SamplingParams;
import io.sparktts.core.text.TextSplitter;
import io.sparktts.core.voice.ClonedVoice;
import io.sparktts.core.voice.CreatedVoice;
import io.sparktts.core.voice.VoiceAttributes;
import io.sparktts.core.voice.VoiceProfile;
import io.sparktts.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spark-TTS-0.5B text to speech: the LM tokenizer, the Qwen2 LM and the BiCodec decoder of a checkpoint folder.
 * Voice creation ({@link #createVoice}) follows upstream {@code SparkTTS.inference} with gender, pitch and speed:
 * the controllable prompt, the LM generates the global then the semantic tokens, BiCodec decodes them. A given
 * voice ({@link #synthesize}: a {@link ClonedVoice} from {@link #cloneVoice} or a saved profile) puts its global
 * tokens in the prompt and the LM generates only semantic tokens.
 * Text longer than one generation is split by {@link TextSplitter}; the chunks are spoken with the same voice (for
 * voice creation, the first chunk's) and joined with {@link #PAUSE_SECONDS} of silence.
 *
 * <p>Thread-safe: each call runs in its own {@link Qwen2Session}; the prompt encoder for cloning is loaded once,
 * when first needed.
 */
public final class SparkTts implements AutoCloseable {
    /** Silence between the chunks of a long text. */
    public static final double PAUSE_SECONDS = 0.2;

    /** Generated audio and the tokens it came from. */
    public record Speech(float[] audio, int sampleRate, int[] globalTokens, int[] semanticTokens, int[] generatedIds,
                         VoiceProfile voice) {
        public double seconds() {
            return audio.length / (double) sampleRate;
        }
    }

    /** Told about every generated token, for a progress display; called on the synthesizing thread. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (chunk, chunks, tokens, speechSeconds) -> {};

        /**
         * @param chunk         the chunk of text being spoken, from 0
         * @param chunks        how many chunks the text has
         * @param tokens        tokens generated for this chunk so far
         * @param speechSeconds seconds of speech the semantic tokens generated so far (all chunks) will make
         */
        void generated(int chunk, int chunks, int tokens, double speechSeconds);
    }

    private final CheckpointLayout layout;
    private final Tokenizer tokenizer;
    private final SparkVocabulary vocab;
    private final Qwen2Model lm;
    private final BiCodecDecoder codec;
    private final int[] eosTokenIds;
    private final TextSplitter splitter = new TextSplitter();
    /** The prompt encoder, loaded by the first {@link #cloneVoice}; with wav2vec2 once a transcript needed it. */
    private BiCodecTokenizer promptTokenizer;

    private SparkTts(CheckpointLayout layout, Tokenizer tokenizer, SparkVocabulary vocab, Qwen2Model lm, BiCodecDecoder codec, int[] eosTokenIds) {
        this.layout = layout;
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.lm = lm;
        this.codec = codec;
        this.eosTokenIds = eosTokenIds;
    }

    /**
     * Loads a folder laid out as the released checkpoint ({@code config.yaml}, {@code LLM/}, {@code BiCodec/});
     * a missing part is named with how to get the checkpoint. {@code precision} is how the LM's matrices are held.
     */
    public static SparkTts load(Path checkpointDir, WeightPrecision precision) throws IOException {
        CheckpointLayout layout = new CheckpointLayout(checkpointDir);
        layout.check(false);
        Tokenizer tokenizer = Tokenizer.load(layout.llm().resolve("tokenizer.json"));
        SparkVocabulary vocab = SparkVocabulary.of(tokenizer);
        int[] eos = eosTokenIds(layout.llm());
        BiCodecDecoder codec = BiCodecDecoder.load(layout.bicodec());
        Qwen2Model lm = Qwen2Model.load(layout.llm(), precision);
        if (tokenizer.size() > lm.config().vocabSize()) {
            lm.close();
            throw new SparkTtsException(layout.llm() + ": the LM's vocab_size " + lm.config().vocabSize()
                    + " does not cover the tokenizer's " + tokenizer.size() + " tokens");
        }
        for (int id : eos) {
            if (id < 0 || id >= lm.config().vocabSize()) {
                lm.close();
                throw new SparkTtsException(layout.llm() + ": eos_token_id " + id + " is outside the vocabulary");
            }
        }
        return new SparkTts(layout, tokenizer, vocab, lm, codec, eos);
    }

    /** Upstream's {@code generate} stops at the generation config's end tokens, else the model config's. */
    private static int[] eosTokenIds(Path llm) throws SparkTtsException {
        for (String name : List.of("generation_config.json", "config.json")) {
            Path file = llm.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode eos;
            try {
                eos = new ObjectMapper().readTree(file.toFile()).path("eos_token_id");
            } catch (IOException e) {
                throw new SparkTtsException(file + ": not valid JSON: " + e.getMessage(), e);
            }
            if (eos.isInt()) {
                return new int[] {eos.intValue()};
            }
            if (eos.isArray() && !eos.isEmpty()) {
                int[] ids = new int[eos.size()];
                for (int i = 0; i < ids.length; i++) {
                    if (!eos.get(i).isInt()) {
                        throw new SparkTtsException(file + ": eos_token_id must be an integer or a list of integers");
                    }
                    ids[i] = eos.get(i).intValue();
                }
                return ids;
            }
        }
        throw new SparkTtsException(llm + ": no eos_token_id in generation_config.json or config.json");
    }

    public int sampleRate() {
        return codec.config().sampleRate();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public BiCodecDecoder codec() {
        return codec;
    }

    /**
     * Voice cloning (upstream {@code process_prompt}): the prompt recording's global tokens and, with its
     * {@code transcript} ({@code null} if unknown), its semantic tokens, so the LM continues that speech. The BiCodec
     * encoder is loaded by the first call, wav2vec2 by the first call with a transcript (only that needs it).
     */
    public ClonedVoice cloneVoice(Path promptWav, String transcript) throws IOException {
        BiCodecTokenizer.Tokens tokens = promptTokenizer(transcript != null).tokenize(promptWav, transcript != null);
        return new ClonedVoice(tokens.global(), transcript == null ? new int[0] : tokens.semantic(), transcript);
    }

    private synchronized BiCodecTokenizer promptTokenizer(boolean withWav2vec2) throws IOException {
        if (promptTokenizer == null || (withWav2vec2 && !promptTokenizer.hasWav2vec2())) {
            layout.check(withWav2vec2);
            promptTokenizer = BiCodecTokenizer.load(layout, withWav2vec2);
        }
        return promptTokenizer;
    }

    /**
     * Voice creation from style labels. The returned {@link Speech#voice()} is the {@link CreatedVoice} the LM
     * designed (for a long text, in its first chunk); save it to speak later text in the same voice.
     */
    public Speech createVoice(VoiceAttributes attributes, String text, SamplingParameters sampling) throws IOException {
        return createVoice(attributes, text, sampling, Progress.NONE);
    }

    /** {@link #createVoice(VoiceAttributes, String, SamplingParameters)}, reporting each token to {@code progress}. */
    public Speech createVoice(VoiceAttributes attributes, String text, SamplingParameters sampling, Progress progress)
            throws IOException {
        List<String> chunks = chunks(text);
        Tracker tracker = new Tracker(progress, chunks.size());
        Speech first = createOne(attributes, chunks.getFirst(), sampling, tracker);
        if (chunks.size() == 1) {
            return first;
        }
        List<Speech> parts = new ArrayList<>(List.of(first));
        for (int i = 1; i < chunks.size(); i++) {
            tracker.nextChunk();
            parts.add(synthesizeOne(first.voice(), chunks.get(i), sampling.withSeed(sampling.seed() + i), tracker));
        }
        return join(parts, first.voice());
    }

    /** Speech in a saved voice: its global tokens go in the prompt, the LM generates the semantic tokens. */
    public Speech synthesize(VoiceProfile voice, String text, SamplingParameters sampling) throws IOException {
        return synthesize(voice, text, sampling, Progress.NONE);
    }

    /** {@link #synthesize(VoiceProfile, String, SamplingParameters)}, reporting each token to {@code progress}. */
    public Speech synthesize(VoiceProfile voice, String text, SamplingParameters sampling, Progress progress)
            throws IOException {
        List<String> chunks = chunks(text);
        Tracker tracker = new Tracker(progress, chunks.size());
        List<Speech> parts = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (i > 0) {
                tracker.nextChunk();
            }
            parts.add(synthesizeOne(voice, chunks.get(i), sampling.withSeed(sampling.seed() + i), tracker));
        }
        return parts.size() == 1 ? parts.getFirst() : join(parts, voice);
    }

    private List<String> chunks(String text) throws SparkTtsException {
        List<String> chunks = text == null ? List.of() : splitter.split(text);
        if (chunks.isEmpty()) {
            throw new SparkTtsException("the text to speak is empty");
        }
        return chunks;
    }

    /** Counts one synthesis's tokens for its {@link Progress}. */
    private final class Tracker {
        final Progress progress;
        final int chunks;
        final double secondsPerToken = codec.outputLength(1) / (double) sampleRate();
        int chunk, tokens, semantic;

        Tracker(Progress progress, int chunks) {
            this.progress = progress;
            this.chunks = chunks;
        }

        void nextChunk() {
            chunk++;
            tokens = 0;
        }

        void token(int id) {
            tokens++;
            if (vocab.semanticCode(id) >= 0) {
                semantic++;
            }
            progress.generated(chunk, chunks, tokens, semantic * secondsPerToken);
        }
    }

    private Speech createOne(VoiceAttributes attributes, String text, SamplingParameters sampling, Tracker tracker)
            throws IOException {
        BiCodecConfig.SpeakerEncoderConfig speaker = codec.config().speakerEncoder();
        SpeechGrammar grammar = SpeechGrammar.creation(vocab, speaker.tokenNum(),
                Math.min(speaker.codebookSize(), VoiceProfile.GLOBAL_CODES), semanticCodes(), eosTokenIds);
        int[] generated = generate(SparkPrompt.creation(text, attributes), grammar, sampling, tracker);
        int[] global = vocab.globalCodes(generated);
        if (global.length != speaker.tokenNum()) {
            throw new SparkTtsException("the LM generated " + global.length + " global tokens; BiCodec needs "
                    + speaker.tokenNum() + " (raise --max-new-tokens, or leave out --full-vocab)");
        }
        int acousticEnd = 0;
        while (acousticEnd < generated.length && generated[acousticEnd] != vocab.startGlobal()) {
            acousticEnd++;
        }
        String acoustic = tokenizer.decode(Arrays.copyOf(generated, acousticEnd), false);
        return decode(global, generated, new CreatedVoice(attributes, acoustic, global));
    }

    private Speech synthesizeOne(VoiceProfile voice, String text, SamplingParameters sampling, Tracker tracker)
            throws IOException {
        int[] global = voice.globalTokens();
        if (global.length != codec.config().speakerEncoder().tokenNum()) {
            throw new SparkTtsException("the voice has " + global.length + " global tokens; this BiCodec needs "
                    + codec.config().speakerEncoder().tokenNum());
        }
        String prompt;
        boolean afterPromptSemantic;
        switch (voice) {
            case ClonedVoice c -> {
                prompt = SparkPrompt.cloning(text, c);
                afterPromptSemantic = c.transcript() != null;
            }
            case CreatedVoice c -> {
                prompt = SparkPrompt.creation(text, c);
                afterPromptSemantic = false;
            }
        }
        SpeechGrammar grammar = SpeechGrammar.afterGlobals(vocab, semanticCodes(), eosTokenIds, afterPromptSemantic);
        return decode(global, generate(prompt, grammar, sampling, tracker), voice);
    }

    private int semanticCodes() {
        return Math.min(codec.config().quantizer().codebookSize(), VoiceProfile.SEMANTIC_CODES);
    }

    private Speech decode(int[] global, int[] generated, VoiceProfile voice) throws SparkTtsException {
        int[] semantic = vocab.semanticCodes(generated);
        if (semantic.length == 0) {
            throw new SparkTtsException("the LM generated no semantic tokens (raise --max-new-tokens)");
        }
        return new Speech(codec.decode(semantic, global), sampleRate(), global, semantic, generated, voice);
    }

    /**
     * Runs the LM after {@code prompt}: over the whole vocabulary as upstream does, or with the head restricted to
     * what {@code grammar} allows next.
     */
    private int[] generate(String prompt, SpeechGrammar grammar, SamplingParameters p, Tracker tracker)
            throws SparkTtsException {
        int[] ids = tokenizer.encode(prompt);
        long capacity = (long) ids.length + p.maxNewTokens();
        if (capacity > lm.config().maxPositions()) {
            throw new SparkTtsException("a prompt of " + ids.length + " tokens plus " + p.maxNewTokens()
                    + " new tokens exceeds the LM's context of " + lm.config().maxPositions());
        }
        Qwen2Session session = lm.newSession((int) capacity);
        SamplingParams params = new SamplingParams((float) p.temperature(), p.topK(), (float) p.topP());
        if (p.fullVocabulary()) {
            return session.generate(ids, new GenerationConfig(params, p.seed(), p.maxNewTokens(), eosTokenIds, null),
                    tracker::token);
        }
        Sampler sampler = new Sampler(params, p.seed());
        Map<int[], LogitsRestriction> restrictions = new IdentityHashMap<>();
        float[] logits = new float[lm.config().vocabSize()];
        int[] generated = new int[p.maxNewTokens()];
        LogitsRestriction allowed = restrictions.computeIfAbsent(grammar.allowed(), LogitsRestriction::of);
        session.prefill(ids, allowed, logits);
        int count = 0;
        while (true) {
            int token = allowed.tokenAt(sampler.sample(logits, allowed.size()));
            grammar.accept(token);
            generated[count++] = token;
            tracker.token(token);
            if (grammar.done() || count == generated.length) {
                return Arrays.copyOf(generated, count);
            }
            allowed = restrictions.computeIfAbsent(grammar.allowed(), LogitsRestriction::of);
            session.decode(token, allowed, logits);
        }
    }

    private Speech join(List<Speech> parts, VoiceProfile voice) {
        int pause = (int) Math.round(PAUSE_SECONDS * sampleRate());
        int samples = pause * (parts.size() - 1), semantic = 0, generated = 0;
        for (Speech s : parts) {
            samples += s.audio().length;
            semantic += s.semanticTokens().length;
            generated += s.generatedIds().length;
        }
        float[] audio = new float[samples];
        int[] semanticTokens = new int[semantic], generatedIds = new int[generated];
        int a = 0, st = 0, g = 0;
        for (Speech s : parts) {
            System.arraycopy(s.audio(), 0, audio, a, s.audio().length);
            a += s.audio().length + pause;
            System.arraycopy(s.semanticTokens(), 0, semanticTokens, st, s.semanticTokens().length);
            st += s.semanticTokens().length;
            System.arraycopy(s.generatedIds(), 0, generatedIds, g, s.generatedIds().length);
            g += s.generatedIds().length;
        }
        return new Speech(audio, sampleRate(), voice.globalTokens(), semanticTokens, generatedIds, voice);
    }

    @Override
    public void close() {
        lm.close();
    }
}
