package io.sparktts.core.pipeline;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.prompt.SparkVocabulary;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * What the LM may generate next in the Spark-TTS output format, phase by phase:
 * voice creation starts with acoustic attribute tokens ({@code <|start_acoustic_token|>} ... value and label
 * tokens), then {@code <|start_global_token|>}, exactly {@code tokenNum} global tokens, {@code <|end_global_token|>};
 * then (this is where voice cloning without a transcript starts) {@code <|start_semantic_token|>} or a first semantic
 * token; then semantic tokens (where cloning with a transcript starts) until {@code <|end_semantic_token|>} or an
 * end-of-sequence token. Codes are limited to what the codec can decode. One instance follows one generation.
 */
public final class SpeechGrammar {
    /** Where the generation is in the output format. */
    public enum Phase { ACOUSTIC, GLOBAL, AFTER_GLOBAL, SEMANTIC, DONE }

    private final SparkVocabulary vocab;
    private final int tokenNum;
    private final int[] acousticPhase;
    private final int[] globalPhase;
    private final int[] endGlobalPhase;
    private final int[] afterGlobalPhase;
    private final int[] semanticPhase;
    private final int[] eos;
    private Phase phase;
    private int globalsSeen;

    private SpeechGrammar(SparkVocabulary vocab, int tokenNum, int globalCodes, int semanticCodes, int[] eos, Phase start) {
        this.vocab = vocab;
        this.tokenNum = tokenNum;
        this.eos = eos.clone();
        acousticPhase = sorted(IntStream.concat(Arrays.stream(vocab.acousticIds()), IntStream.of(vocab.startGlobal())));
        globalPhase = IntStream.range(0, globalCodes).map(vocab::globalId).toArray();
        endGlobalPhase = new int[] {vocab.endGlobal()};
        IntStream semantic = IntStream.range(0, semanticCodes).map(vocab::semanticId);
        afterGlobalPhase = sorted(IntStream.concat(IntStream.of(vocab.startSemantic()), semantic));
        semanticPhase = sorted(IntStream.concat(IntStream.range(0, semanticCodes).map(vocab::semanticId),
                IntStream.concat(IntStream.of(vocab.endSemantic()), Arrays.stream(eos))));
        phase = start;
    }

    /** Voice creation: the LM generates the acoustic tokens, the global tokens and the semantic tokens. */
    public static SpeechGrammar creation(SparkVocabulary vocab, int tokenNum, int globalCodes, int semanticCodes, int[] eos) {
        return new SpeechGrammar(vocab, tokenNum, globalCodes, semanticCodes, eos, Phase.ACOUSTIC);
    }

    /**
     * Continuation after a prompt that already holds the global tokens (voice cloning, or a created voice reused);
     * {@code afterPromptSemantic} when the prompt ends inside the semantic tokens (cloning with a transcript).
     */
    public static SpeechGrammar afterGlobals(SparkVocabulary vocab, int semanticCodes, int[] eos, boolean afterPromptSemantic) {
        return new SpeechGrammar(vocab, 0, 0, semanticCodes, eos, afterPromptSemantic ? Phase.SEMANTIC : Phase.AFTER_GLOBAL);
    }

    public Phase phase() {
        return phase;
    }

    public boolean done() {
        return phase == Phase.DONE;
    }

    /** Token ids allowed next, ascending; empty when done. The array is shared: do not modify it. */
    public int[] allowed() {
        return switch (phase) {
            case ACOUSTIC -> acousticPhase;
            case GLOBAL -> globalsSeen < tokenNum ? globalPhase : endGlobalPhase;
            case AFTER_GLOBAL -> afterGlobalPhase;
            case SEMANTIC -> semanticPhase;
            case DONE -> new int[0];
        };
    }

    /** Advances over a generated token, which must be one of {@link #allowed()}. */
    public void accept(int id) throws SparkTtsException {
        if (Arrays.binarySearch(allowed(), id) < 0) {
            throw new SparkTtsException("token id " + id + " is not allowed in phase " + phase);
        }
        switch (phase) {
            case ACOUSTIC -> {
                if (id == vocab.startGlobal()) {
                    phase = Phase.GLOBAL;
                }
            }
            case GLOBAL -> {
                if (id == vocab.endGlobal()) {
                    phase = Phase.AFTER_GLOBAL;
                } else {
                    globalsSeen++;
                }
            }
            case AFTER_GLOBAL -> phase = Phase.SEMANTIC;
            case SEMANTIC -> {
                if (id == vocab.endSemantic() || Arrays.stream(eos).anyMatch(e -> e == id)) {
                    phase = Phase.DONE;
                }
            }
            case DONE -> throw new IllegalStateException("generation is done");
        }
    }

    private static int[] sorted(IntStream ids) {
        return ids.sorted().distinct().toArray();
    }
}
