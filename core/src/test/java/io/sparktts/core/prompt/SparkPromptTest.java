package io.sparktts.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparktts.core.voice.ClonedVoice;
import io.sparktts.core.voice.CreatedVoice;
import io.sparktts.core.voice.Gender;
import io.sparktts.core.voice.Level;
import io.sparktts.core.voice.VoiceAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The prompt strings equal the fixture's full Spark-TTS prompts, which were built the way upstream builds them
 * (so they also tokenize to the fixture's ids, see the tokenizer's golden test).
 */
class SparkPromptTest {
    private static final Pattern CLONING = Pattern.compile(
            "\\Q<|task_tts|><|start_content|>\\E(.*)\\Q<|end_content|><|start_global_token|>\\E((?:<\\|bicodec_global_\\d+\\|>)+)"
                    + "\\Q<|end_global_token|>\\E(?:\\Q<|start_semantic_token|>\\E((?:<\\|bicodec_semantic_\\d+\\|>)+))?", Pattern.DOTALL);
    private static final Pattern CONTROL = Pattern.compile(
            "\\Q<|task_controllable_tts|><|start_content|>\\E(.*)\\Q<|end_content|><|start_style_label|><|gender_\\E(\\d)"
                    + "\\Q|><|pitch_label_\\E(\\d)\\Q|><|speed_label_\\E(\\d)\\Q|><|end_style_label|>\\E", Pattern.DOTALL);

    private static int[] numbers(String tokens) {
        return tokens == null ? new int[0] : Pattern.compile("_(\\d+)\\|>").matcher(tokens).results()
                .mapToInt(m -> Integer.parseInt(m.group(1))).toArray();
    }

    @Test
    void everyUpstreamShapedGoldenPromptIsRebuiltExactly() throws Exception {
        int cloning = 0, withTranscript = 0, control = 0;
        for (GoldenSparkCases.Case c : GoldenSparkCases.cases()) {
            Matcher m = CLONING.matcher(c.text());
            if (m.matches() && numbers(m.group(2)).length == 32) {
                String content = m.group(1);
                int[] globals = numbers(m.group(2));
                if (m.group(3) == null) {
                    assertEquals(c.text(), SparkPrompt.cloning(content, globals, null, new int[] {1, 2}));
                    assertEquals(c.text(), SparkPrompt.cloning(content, new ClonedVoice(globals, new int[] {5}, null)));
                } else {
                    int cut = content.indexOf("Hello");
                    String transcript = content.substring(0, cut);
                    int[] semantic = numbers(m.group(3));
                    assertEquals(c.text(), SparkPrompt.cloning(content.substring(cut), globals, transcript, semantic));
                    assertEquals(c.text(), SparkPrompt.cloning(content.substring(cut), new ClonedVoice(globals, semantic, transcript)));
                    withTranscript++;
                }
                cloning++;
            }
            m = CONTROL.matcher(c.text());
            if (m.matches()) {
                VoiceAttributes voice = new VoiceAttributes(Gender.values()[Integer.parseInt(m.group(2))],
                        Level.values()[Integer.parseInt(m.group(3))], Level.values()[Integer.parseInt(m.group(4))]);
                assertEquals(c.text(), SparkPrompt.creation(m.group(1), voice));
                control++;
            }
        }
        assertEquals(9, cloning);
        assertEquals(1, withTranscript);
        assertEquals(9, control);
    }

    /** Built prompts go through the real tokenizer to the golden ids; the vocabulary finds the same code tokens. */
    @Test
    void builtPromptsTokenizeToTheGoldenIds() throws Exception {
        io.sparktts.tokenizer.Tokenizer tokenizer = io.sparktts.tokenizer.Tokenizer.load(GoldenSparkCases.DIR.resolve("tokenizer.json"));
        SparkVocabulary vocab = SparkVocabulary.of(tokenizer);
        int checked = 0;
        for (GoldenSparkCases.Case c : GoldenSparkCases.cases()) {
            Matcher m = CLONING.matcher(c.text());
            String rebuilt = null;
            if (m.matches() && m.group(3) == null && numbers(m.group(2)).length == 32) {
                rebuilt = SparkPrompt.cloning(m.group(1), new ClonedVoice(numbers(m.group(2)), new int[] {1}, null));
                org.junit.jupiter.api.Assertions.assertArrayEquals(numbers(m.group(2)), vocab.globalCodes(c.ids()));
            }
            m = CONTROL.matcher(c.text());
            if (m.matches()) {
                rebuilt = SparkPrompt.creation(m.group(1), new VoiceAttributes(Gender.values()[Integer.parseInt(m.group(2))],
                        Level.values()[Integer.parseInt(m.group(3))], Level.values()[Integer.parseInt(m.group(4))]));
            }
            if (rebuilt != null) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(c.ids(), tokenizer.encode(rebuilt), c.text());
                checked++;
            }
        }
        assertEquals(17, checked);
    }

    @Test
    void labelsSpellAsUpstreamMaps() {
        assertEquals("<|task_controllable_tts|><|start_content|>hi<|end_content|><|start_style_label|>"
                        + "<|gender_0|><|pitch_label_4|><|speed_label_0|><|end_style_label|>",
                SparkPrompt.creation("hi", VoiceAttributes.parse("female", "very_high", "very_low")));
        assertEquals(1, Gender.parse("male").id());
        assertEquals(2, Level.parse("moderate").id());
        assertEquals("level 'medium' is not one of [very_low, low, moderate, high, very_high]",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Level.parse("medium")).getMessage());
    }

    @Test
    void aCreatedVoiceContinuesTheControllablePromptWithItsTokens() {
        CreatedVoice voice = new CreatedVoice(VoiceAttributes.parse("male", "low", "high"), "<|start_acoustic_token|><|end_acoustic_token|>",
                new int[] {3, 4000});
        assertEquals(SparkPrompt.creation("hi", voice.attributes()) + "<|start_acoustic_token|><|end_acoustic_token|>"
                        + "<|start_global_token|><|bicodec_global_3|><|bicodec_global_4000|><|end_global_token|>",
                SparkPrompt.creation("hi", voice));
    }
}
