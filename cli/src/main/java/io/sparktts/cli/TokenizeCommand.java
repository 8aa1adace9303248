package io.sparktts.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparktts.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Encodes text with a Hugging Face tokenizer, one string or a JSON-lines batch. */
final class TokenizeCommand implements Command {
    /** JSON output with the line separators that some line readers split on written as escapes. */
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new LineSeparatorEscapes());
    }

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "encode text with the Spark-TTS (Qwen2) tokenizer and decode it back";
    }

    @Override
    public String usage() {
        return """
                usage: spark-tts tokenize --tokenizer PATH (--text TEXT | --jsonl FILE)
                  --tokenizer PATH  a tokenizer.json, or a folder holding tokenizer.json
                                    (or vocab.json, merges.txt and tokenizer_config.json / added_tokens.json)
                  --text TEXT       prints the ids of TEXT, separated by spaces
                  --jsonl FILE      reads lines {"text": ...} (UTF-8; blank lines are skipped) and writes one line
                                    {"ids": [...], "decoded": ..., "decoded_skip_special": ...} for each""";
    }

    @Override
    public int run(Args args) throws Exception {
        Path tokenizerPath = args.path("tokenizer");
        String text = args.string("text", null);
        Path jsonl = args.optionalPath("jsonl");
        args.finish();
        if ((text == null) == (jsonl == null)) {
            throw new UsageException("give exactly one of --text and --jsonl");
        }
        Tokenizer tokenizer = Tokenizer.load(tokenizerPath);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (text != null) {
            out.println(Arrays.stream(tokenizer.encode(text)).mapToObj(Integer::toString)
                    .collect(Collectors.joining(" ")));
        } else {
            tokenizeLines(tokenizer, jsonl, out);
        }
        out.flush();
        return 0;
    }

    private static void tokenizeLines(Tokenizer tokenizer, Path file, PrintStream out) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int[] ids = tokenizer.encode(textOf(file, lineNo, line));
                ObjectNode result = JSON.createObjectNode();
                result.putArray("ids").addAll(Arrays.stream(ids).mapToObj(JSON.getNodeFactory()::numberNode).toList());
                result.put("decoded", tokenizer.decode(ids, false));
                result.put("decoded_skip_special", tokenizer.decode(ids, true));
                out.println(JSON.writeValueAsString(result));
            }
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
    }

    private static String textOf(Path file, int lineNo, String line) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new IOException(file + " line " + lineNo + ": not JSON: " + e.getOriginalMessage());
        }
        if (!node.path("text").isTextual()) {
            throw new IOException(file + " line " + lineNo + ": expected an object {\"text\": \"...\"}");
        }
        return node.get("text").textValue();
    }

    /** Jackson's standard escapes, plus U+0085, U+2028 and U+2029 as {@code \\uXXXX}. */
    private static final class LineSeparatorEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x85 || ch == 0x2028 || ch == 0x2029
                    ? new SerializedString(String.format("\\u%04X", ch))
                    : null;
        }
    }
}
