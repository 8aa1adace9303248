package io.sparktts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark-tts tokenize} on the golden tokenizer: both modes, and bad command lines and input files. */
class TokenizeCommandTest {
    private static final Path GOLDEN = Path.of("../tokenizer/src/test/resources/golden/tokenizer");
    private static final String TOKENIZER = GOLDEN.resolve("tokenizer.json").toString();

    @TempDir
    Path dir;

    @Test
    void printsTheIdsOfText() {
        Result r = run("tokenize", "--tokenizer", GOLDEN.toString(), "--text",
                "<|task_tts|>The quick brown fox jumps over the lazy dog.");
        // cases.jsonl line 1 after <|task_tts|> = 165137
        assertEquals(new Result(0, "165137 785 3974 13876 38835 34208 916 279 15678 5562 13\n", ""), r);
    }

    /** The golden cases file is itself valid input: every output line must be the case's ids and decodings. */
    @Test
    void writesOneJsonLinePerInputLine() throws IOException {
        Path cases = GOLDEN.resolve("cases.jsonl");
        Path input = dir.resolve("in.jsonl");
        List<String> lines = Files.readAllLines(cases, StandardCharsets.UTF_8);
        Files.writeString(input, String.join("\n", lines.subList(0, 100)) + "\n\n"
                + String.join("\n", lines.subList(100, lines.size())) + "\n", StandardCharsets.UTF_8);
        Result r = run("tokenize", "--tokenizer", TOKENIZER, "--jsonl", input.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        String[] out = r.out().split("\n", -1);
        assertEquals(lines.size() + 1, out.length, "one line per non-blank input line, then the final newline");
        assertEquals("", out[lines.size()]);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode expected = (ObjectNode) json.readTree(lines.get(i));
            expected.remove("text");
            assertEquals(expected, json.readTree(out[i]), "line " + (i + 1));
        }
        assertEquals("{\"ids\":[785,3974,13876,38835,34208,916,279,15678,5562,13],"
                + "\"decoded\":\"The quick brown fox jumps over the lazy dog.\","
                + "\"decoded_skip_special\":\"The quick brown fox jumps over the lazy dog.\"}", out[0]);
        JsonNode nel = json.readTree(lines.get(299));
        assertEquals("a\u0085\u0085b", nel.get("text").textValue());
        assertEquals("{\"ids\":[64,126,227,126,227,65],\"decoded\":\"a\\u0085\\u0085b\","
                + "\"decoded_skip_special\":\"a\\u0085\\u0085b\"}", out[299], "line separators are escaped");
    }

    @Test
    void refusesBadCommandLinesAndInput() throws IOException {
        assertEquals(new Result(2, "", "spark-tts tokenize: give exactly one of --text and --jsonl"
                + " (see spark-tts tokenize --help)\n"), run("tokenize", "--tokenizer", TOKENIZER));
        assertEquals(new Result(2, "", "spark-tts tokenize: give exactly one of --text and --jsonl"
                        + " (see spark-tts tokenize --help)\n"),
                run("tokenize", "--tokenizer", TOKENIZER, "--text", "a", "--jsonl", "b"));
        assertEquals(new Result(2, "", "spark-tts tokenize: missing required option --tokenizer"
                + " (see spark-tts tokenize --help)\n"), run("tokenize", "--text", "a"));

        String bytesOnly = byteTokensOnly(dir).toString();
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, "{\"text\": \"fine\"}\n{\"txt\": \"typo\"}\n", StandardCharsets.UTF_8);
        Result r = run("tokenize", "--tokenizer", bytesOnly, "--jsonl", input.toString());
        assertEquals(new Result(1, "{\"ids\":[102,105,110,101],\"decoded\":\"fine\",\"decoded_skip_special\":\"fine\"}\n",
                "spark-tts tokenize: " + input + " line 2: expected an object {\"text\": \"...\"}\n"), r);

        Files.writeString(input, "{\"text\": \"fine\"}\n{\"text\": \"fine\"\n", StandardCharsets.UTF_8);
        r = run("tokenize", "--tokenizer", bytesOnly, "--jsonl", input.toString());
        assertEquals(1, r.code());
        assertEquals("spark-tts tokenize: " + input + " line 2: not JSON: Unexpected end-of-input",
                r.err().substring(0, r.err().indexOf(": expected close marker")));

        Files.write(input, new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'});
        assertEquals(new Result(1, "", "spark-tts tokenize: " + input + ": not UTF-8 text\n"),
                run("tokenize", "--tokenizer", bytesOnly, "--jsonl", input.toString()));

        Path missing = dir.resolve("no-tokenizer");
        assertEquals(new Result(1, "", "spark-tts tokenize: " + missing + ": no such file or folder\n"),
                run("tokenize", "--tokenizer", missing.toString(), "--text", "a"));
    }

    /** A Qwen2-format tokenizer.json with only the 256 byte tokens (id = byte value) and no merges. */
    private static Path byteTokensOnly(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ObjectNode split = pre.putArray("pretokenizers").addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
                + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
        split.put("behavior", "Isolated").put("invert", false);
        ((com.fasterxml.jackson.databind.node.ArrayNode) pre.get("pretokenizers")).addObject().put("type", "ByteLevel")
                .put("add_prefix_space", false).put("use_regex", false);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model").put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            // GPT-2's byte alphabet: printable Latin-1 bytes stand for themselves, the others map to U+0100 up
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            vocab.put(String.valueOf((char) (printable ? b : 256 + shifted++)), b);
        }
        model.putArray("merges");
        Path file = dir.resolve("bytes-only.json");
        json.writeValue(file.toFile(), root);
        return file;
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... argv) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(argv);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
