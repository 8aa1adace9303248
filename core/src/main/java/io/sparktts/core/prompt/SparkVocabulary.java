package io.sparktts.core.prompt;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.voice.VoiceProfile;
import io.sparktts.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Where the Spark-TTS tokens sit in the LM's vocabulary, resolved once from the tokenizer: the 4096 global and
 * 8192 semantic code tokens (each family must be one contiguous id range, as in the released tokenizer) and the
 * marker tokens. Turns generated ids back into code numbers by id, without decoding text.
 */
public final class SparkVocabulary {
    private final int globalBase;
    private final int semanticBase;
    private final int startGlobal;
    private final int endGlobal;
    private final int startSemantic;
    private final int endSemantic;
    private final int[] acousticIds;

    /** The token families that may appear in a controllable-TTS preamble before the global tokens. */
    private static final String[][] ACOUSTIC_FAMILIES = {
            {"pitch_value_", "1001"}, {"pitch_var_value_", "11"}, {"pitch_label_", "5"}, {"pitch_var_label_", "5"},
            {"speed_value_", "11"}, {"speed_label_", "5"}, {"loudness_value_", "31"}, {"loudness_label_", "5"},
            {"age_", "5"}, {"gender_", "3"}, {"emotion_", "101"}};

    /** {@code idOf} gives a token's id, or a negative number when the vocabulary lacks it. */
    public SparkVocabulary(ToIntFunction<String> idOf) throws SparkTtsException {
        globalBase = range(idOf, "bicodec_global_", VoiceProfile.GLOBAL_CODES);
        semanticBase = range(idOf, "bicodec_semantic_", VoiceProfile.SEMANTIC_CODES);
        startGlobal = marker(idOf, SparkPrompt.START_GLOBAL);
        endGlobal = marker(idOf, SparkPrompt.END_GLOBAL);
        startSemantic = marker(idOf, SparkPrompt.START_SEMANTIC);
        endSemantic = marker(idOf, SparkPrompt.END_SEMANTIC);
        List<Integer> acoustic = new ArrayList<>();
        acoustic.add(marker(idOf, "<|start_acoustic_token|>"));
        acoustic.add(marker(idOf, "<|end_acoustic_token|>"));
        for (String[] family : ACOUSTIC_FAMILIES) {
            for (int i = 0; i < Integer.parseInt(family[1]); i++) {
                acoustic.add(marker(idOf, "<|" + family[0] + i + "|>"));
            }
        }
        acousticIds = acoustic.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The Spark tokens of the LM's tokenizer ({@code LLM/tokenizer.json}). */
    public static SparkVocabulary of(Tokenizer tokenizer) throws SparkTtsException {
        return new SparkVocabulary(t -> tokenizer.tokenId(t).orElse(-1));
    }

    private static int range(ToIntFunction<String> idOf, String family, int count) throws SparkTtsException {
        int base = marker(idOf, "<|" + family + "0|>");
        for (int i = 1; i < count; i++) {
            int id = idOf.applyAsInt("<|" + family + i + "|>");
            if (id != base + i) {
                throw new SparkTtsException("tokenizer: <|" + family + i + "|> has id " + id + ", expected " + (base + i)
                        + " (the " + family + "N tokens must be one contiguous range)");
            }
        }
        return base;
    }

    private static int marker(ToIntFunction<String> idOf, String token) throws SparkTtsException {
        int id = idOf.applyAsInt(token);
        if (id < 0) {
            throw new SparkTtsException("tokenizer: the Spark-TTS token " + token + " is missing");
        }
        return id;
    }

    public int globalId(int code) {
        return globalBase + code;
    }

    public int semanticId(int code) {
        return semanticBase + code;
    }

    /** The code of a global token id, or -1 if the id is not one. */
    public int globalCode(int id) {
        int c = id - globalBase;
        return c >= 0 && c < VoiceProfile.GLOBAL_CODES ? c : -1;
    }

    /** The code of a semantic token id, or -1 if the id is not one. */
    public int semanticCode(int id) {
        int c = id - semanticBase;
        return c >= 0 && c < VoiceProfile.SEMANTIC_CODES ? c : -1;
    }

    public int startGlobal() {
        return startGlobal;
    }

    public int endGlobal() {
        return endGlobal;
    }

    public int startSemantic() {
        return startSemantic;
    }

    public int endSemantic() {
        return endSemantic;
    }

    /** Ids of the acoustic attribute tokens and their start/end markers, ascending. */
    public int[] acousticIds() {
        return acousticIds.clone();
    }

    public boolean isAcoustic(int id) {
        return Arrays.binarySearch(acousticIds, id) >= 0;
    }

    /** Global codes in generation order, as upstream's {@code re.findall(r"bicodec_global_(\d+)", ...)} finds them. */
    public int[] globalCodes(int[] generated) {
        return Arrays.stream(generated).map(this::globalCode).filter(c -> c >= 0).toArray();
    }

    /** Semantic codes in generation order, as upstream's {@code re.findall(r"bicodec_semantic_(\d+)", ...)} finds them. */
    public int[] semanticCodes(int[] generated) {
        return Arrays.stream(generated).map(this::semanticCode).filter(c -> c >= 0).toArray();
    }
}
