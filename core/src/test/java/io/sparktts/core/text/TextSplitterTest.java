package io.sparktts.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextSplitterTest {
    @Test
    void shortTextIsOneChunk() {
        assertEquals(List.of("Hello world. How are you?"), new TextSplitter().split("  Hello world. How are you?  "));
        assertEquals(List.of(), new TextSplitter().split(" \n "));
    }

    @Test
    void sentencesArePackedUpToTheBound() {
        TextSplitter s = new TextSplitter(30);
        assertEquals(List.of("One two three. Four five six.", "Seven eight nine!"),
                s.split("One two three. Four five six. Seven eight nine!"));
    }

    @Test
    void chineseSplitsAtFullWidthMarksAndKeepsClosingQuotes() {
        TextSplitter s = new TextSplitter(24);
        // 6 Han characters and a full stop weigh 19, so every sentence is its own chunk
        assertEquals(List.of("今天天气很好。", "他说：“我们走吧！”", "好的。"), s.split("今天天气很好。他说：“我们走吧！”好的。"));
        assertEquals(6 * 3 + 1, TextSplitter.weight("今天天气很好。"));
    }

    @Test
    void decimalsAndUrlsDoNotEndSentences() {
        TextSplitter s = new TextSplitter(12);
        assertEquals(List.of("Pi is 3.14.", "Go now."), s.split("Pi is 3.14. Go now."));
    }

    @Test
    void longSentencesBreakAtClausesThenSpacesThenAnywhere() {
        TextSplitter s = new TextSplitter(20);
        assertEquals(List.of("first part here,", "second part here,", "third one"),
                s.split("first part here, second part here, third one"));
        assertEquals(List.of("aaaa bbbb cccc dddd", "eeee ffff"), s.split("aaaa bbbb cccc dddd eeee ffff"));
        assertEquals(List.of("x".repeat(20), "x".repeat(20), "xxxxx"), s.split("x".repeat(45)));
        assertEquals(List.of("一二三四五六", "七八九十"), s.split("一二三四五六七八九十"));
    }

    @Test
    void mixedTextJoinsWithoutSpacesNextToChinese() {
        assertEquals(List.of("你好。Hello there.再见。"), new TextSplitter().split("你好。\nHello there.\n再见。"));
    }

    @Test
    void everyChunkRespectsTheBoundAndNothingIsLost() {
        String text = ("Spark-TTS 支持中英文混合输入，也能处理很长的段落。 It keeps going; it never stops, really! "
                + "这一句特别长，没有句号，只有逗号，一直写下去，一直写下去，一直写下去，一直写下去 ").repeat(9);
        for (int bound : new int[] {6, 20, 57, 300}) {
            List<String> chunks = new TextSplitter(bound).split(text);
            for (String c : chunks) {
                assertTrue(TextSplitter.weight(c) <= bound, bound + ": " + c);
                assertEquals(c.strip(), c);
            }
            assertEquals(text.replaceAll("\\s", ""), String.join("", chunks).replaceAll("\\s", ""), "bound " + bound);
        }
    }
}
