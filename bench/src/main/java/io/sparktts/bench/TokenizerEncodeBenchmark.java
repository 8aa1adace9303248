package io.sparktts.bench;

import io.sparktts.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread encode throughput on 1,000,000 UTF-8 bytes of mixed Chinese/English text: one operation encodes
 * the whole text, so operations per second are megabytes per second. The text is generated with a fixed seed:
 * English sentences of common words (their pieces repeat, as in real text, and hit the merge cache), Chinese
 * sentences of random word sequences (each clause is one piece and nearly always new, so it is merged from bytes),
 * and Chinese sentences with English names inside.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class TokenizerEncodeBenchmark {
    static final int TEXT_BYTES = 1_000_000;

    private static final String[] ENGLISH = ("the of and to a in is it you that he was for on are with as I his they be"
            + " at one have this from voice speech model text sound clear quick brown fox jumps over lazy dog"
            + " tomorrow morning weather report today music people system language natural high quality fast"
            + " listen read write small large Java inference token audio sample rate second minute").split(" ");
    private static final String[] CHINESE = ("我们 你们 今天 明天 天气 语音 合成 模型 文本 声音 清晰 自然 质量 很好 非常"
            + " 一个 中年 女性 男性 音调 较高 较低 情绪 高涨 平静 可控 系统 测试 朗读 句子 新闻 报道 城市 北京 上海"
            + " 学生 老师 学校 音乐 电影 时间 工作 生活 朋友 快速 生成 人工 智能 计算机 程序 数据 声学 特征 说话 人").split(" ");
    private static final String[] NAMES = {"Spark-TTS", "Qwen2.5", "BiCodec", "Java", "GPU", "CPU", "OpenAI", "2024年"};

    /** A tokenizer.json or tokenizer folder; the default is the golden copy, relative to the repository root. */
    @Param("tokenizer/src/test/resources/golden/tokenizer/tokenizer.json")
    public String tokenizer;

    private Tokenizer loaded;
    private String text;

    @Setup
    public void load() throws IOException {
        loaded = Tokenizer.load(Path.of(tokenizer));
        text = mixedText(TEXT_BYTES, 20250601);
    }

    @Benchmark
    public int[] encode() {
        return loaded.encode(text);
    }

    /** Mixed text of at most {@code maxBytes} UTF-8 bytes, ending with a whole sentence. */
    static String mixedText(int maxBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder();
        StringBuilder sentence = new StringBuilder();
        int bytes = 0;
        while (true) {
            sentence.setLength(0);
            switch (random.nextInt(3)) {
                case 0 -> {
                    int words = random.nextInt(5, 13);
                    for (int w = 0; w < words; w++) {
                        String word = ENGLISH[random.nextInt(ENGLISH.length)];
                        sentence.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
                    }
                    sentence.append(random.nextInt(4) == 0 ? "! " : ". ");
                }
                case 1 -> {
                    int clauses = random.nextInt(1, 4);
                    for (int c = 0; c < clauses; c++) {
                        for (int w = random.nextInt(3, 9); w > 0; w--) {
                            sentence.append(CHINESE[random.nextInt(CHINESE.length)]);
                        }
                        sentence.append(c + 1 < clauses ? "，" : "。");
                    }
                }
                default -> {
                    for (int w = random.nextInt(2, 5); w > 0; w--) {
                        sentence.append(CHINESE[random.nextInt(CHINESE.length)]);
                    }
                    sentence.append(' ').append(NAMES[random.nextInt(NAMES.length)]).append(' ');
                    for (int w = random.nextInt(2, 5); w > 0; w--) {
                        sentence.append(CHINESE[random.nextInt(CHINESE.length)]);
                    }
                    sentence.append(random.nextInt(5) == 0 ? "。\n" : "。");
                }
            }
            int sentenceBytes = sentence.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes + sentenceBytes > maxBytes) {
                return text.toString();
            }
            text.append(sentence);
            bytes += sentenceBytes;
        }
    }
}
