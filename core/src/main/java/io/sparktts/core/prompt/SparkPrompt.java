package io.sparktts.core.prompt;

import io.sparktts.core.voice.ClonedVoice;
import io.sparktts.core.voice.CreatedVoice;
import io.sparktts.core.voice.VoiceAttributes;

/**
 * The LM prompt strings, spelled exactly as upstream {@code SparkTTS.process_prompt} (voice cloning) and
 * {@code process_prompt_control} (voice creation) build them; the tokenizer turns them into the LM's input ids.
 */
public final class SparkPrompt {
    public static final String TASK_TTS = "<|task_tts|>";
    public static final String TASK_CONTROLLABLE_TTS = "<|task_controllable_tts|>";
    public static final String START_CONTENT = "<|start_content|>";
    public static final String END_CONTENT = "<|end_content|>";
    public static final String START_STYLE_LABEL = "<|start_style_label|>";
    public static final String END_STYLE_LABEL = "<|end_style_label|>";
    public static final String START_GLOBAL = "<|start_global_token|>";
    public static final String END_GLOBAL = "<|end_global_token|>";
    public static final String START_SEMANTIC = "<|start_semantic_token|>";
    public static final String END_SEMANTIC = "<|end_semantic_token|>";

    private SparkPrompt() {}

    public static String globalToken(int code) {
        return "<|bicodec_global_" + code + "|>";
    }

    public static String semanticToken(int code) {
        return "<|bicodec_semantic_" + code + "|>";
    }

    /**
     * Voice cloning. With a transcript of the prompt audio, the transcript goes in front of the text and the prompt
     * ends with the prompt audio's semantic tokens, so the LM continues that speech; without one ({@code null}),
     * the prompt ends after the global tokens and the semantic tokens are not used.
     */
    public static String cloning(String text, int[] globalTokens, String transcript, int[] promptSemanticTokens) {
        StringBuilder b = new StringBuilder(64 + 24 * globalTokens.length);
        b.append(TASK_TTS).append(START_CONTENT);
        if (transcript != null) {
            b.append(transcript);
        }
        b.append(text).append(END_CONTENT).append(START_GLOBAL);
        for (int g : globalTokens) {
            b.append(globalToken(g));
        }
        b.append(END_GLOBAL);
        if (transcript != null) {
            b.append(START_SEMANTIC);
            for (int s : promptSemanticTokens) {
                b.append(semanticToken(s));
            }
        }
        return b.toString();
    }

    /** Voice creation from style labels: the LM then generates the global tokens and the semantic tokens. */
    public static String creation(String text, VoiceAttributes voice) {
        return TASK_CONTROLLABLE_TTS + START_CONTENT + text + END_CONTENT + START_STYLE_LABEL
                + "<|gender_" + voice.gender().id() + "|>"
                + "<|pitch_label_" + voice.pitch().id() + "|>"
                + "<|speed_label_" + voice.speed().id() + "|>"
                + END_STYLE_LABEL;
    }

    public static String cloning(String text, ClonedVoice voice) {
        return cloning(text, voice.globalTokens(), voice.transcript(), voice.promptSemanticTokens());
    }

    /**
     * Voice creation with a voice fixed beforehand (not an upstream prompt): the controllable prompt followed by
     * the acoustic tokens and global tokens the LM generated for that voice, so the LM continues with semantic
     * tokens in that timbre.
     */
    public static String creation(String text, CreatedVoice voice) {
        StringBuilder b = new StringBuilder(creation(text, voice.attributes()));
        b.append(voice.acousticTokens()).append(START_GLOBAL);
        for (int g : voice.globalTokens()) {
            b.append(globalToken(g));
        }
        return b.append(END_GLOBAL).toString();
    }
}
