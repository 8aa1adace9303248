package io.sparktts.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: both merge spellings, the component checks, and clear errors for files that are not a tokenizer. */
class TokenizerFilesTest {
    @TempDir
    Path dir;

    @Test
    void mergesAsStringsOrPairsGiveTheSameTokenizer() throws IOException {
        Tokenizer strings = new TinyTokenizer().load(dir);
        TinyTokenizer pairs = new TinyTokenizer();
        pairs.model().putArray("merges").add(TinyTokenizer.MAPPER.createArrayNode().add("a").add("b"))
                .add(TinyTokenizer.MAPPER.createArrayNode().add("ab").add("c"));
        Tokenizer fromPairs = pairs.load(dir);
        for (Tokenizer t : new Tokenizer[] {strings, fromPairs}) {
            assertArrayEquals(new int[] {257, 256, 'd', 'c', 'a'}, t.encode("abcabdca"));
            assertEquals("abcabdca", t.decode(t.encode("abcabdca"), false));
            assertEquals(258, t.size());
        }
    }

    @Test
    void refusesUnsupportedComponentsByName() throws IOException {
        TinyTokenizer nfkc = new TinyTokenizer();
        nfkc.root.putObject("normalizer").put("type", "NFKC");
        assertProblem(nfkc, "unsupported normalizer {\"type\":\"NFKC\"}: only NFC or none is supported");

        TinyTokenizer wordPiece = new TinyTokenizer();
        wordPiece.model().put("type", "WordPiece");
        assertProblem(wordPiece, "unsupported model type 'WordPiece': only BPE is supported");

        TinyTokenizer gpt2Split = new TinyTokenizer();
        ObjectNode pre = gpt2Split.root.putObject("pre_tokenizer").put("type", "ByteLevel");
        pre.put("add_prefix_space", false).put("use_regex", true);
        assertProblem(gpt2Split, "unsupported pre_tokenizer {\"type\":\"ByteLevel\",\"add_prefix_space\":false,"
                + "\"use_regex\":true}: only Qwen2's is supported (Sequence of Split with the Qwen2 pattern, behavior"
                + " Isolated, not inverted, then ByteLevel with add_prefix_space false and use_regex false)");

        TinyTokenizer wordPieceDecoder = new TinyTokenizer();
        wordPieceDecoder.root.putObject("decoder").put("type", "WordPiece");
        assertProblem(wordPieceDecoder, "unsupported decoder {\"type\":\"WordPiece\"}: only ByteLevel is supported");

        TinyTokenizer byteFallback = new TinyTokenizer();
        byteFallback.model().put("byte_fallback", true);
        assertProblem(byteFallback, "unsupported BPE byte_fallback true: byte-level BPE needs no fallback");
    }

    @Test
    void refusesInconsistentVocabularies() throws IOException {
        TinyTokenizer badMerge = new TinyTokenizer();
        badMerge.model().putArray("merges").add("a b").add("b c");
        assertProblem(badMerge, "merge 2 'b c': 'bc' is not in the vocabulary");

        TinyTokenizer missingByte = new TinyTokenizer();
        ((ObjectNode) missingByte.model().get("vocab")).remove(String.valueOf(ByteLevel.charOf(0xFF)));
        assertProblem(missingByte, "the vocabulary has no token 'ÿ' for byte 0xFF; only byte-level BPE, with all 256"
                + " byte tokens, is supported");

        TinyTokenizer wrongId = new TinyTokenizer().add("<x>", 300, true, false, false, false, false);
        assertProblem(wrongId, "added token '<x>' has id 300 in the file, but Hugging Face tokenizers gives it id"
                + " 258 (the ids of new added tokens follow the vocabulary size, in file order)");

        TinyTokenizer negative = new TinyTokenizer();
        ((ObjectNode) negative.model().get("vocab")).put("abc", -3);
        assertProblem(negative, "model.vocab: token 'abc' has id -3, not a non-negative integer");
    }

    @Test
    void reportsUnreadableFiles() throws IOException {
        Path notJson = dir.resolve("tokenizer.json");
        Files.writeString(notJson, "{\"model\": [1, 2", StandardCharsets.UTF_8);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(notJson));
        assertEquals(notJson + ": not valid JSON: Unexpected end-of-input: expected close marker for Array",
                e.getMessage().substring(0, e.getMessage().indexOf(" (start marker")));

        Path missing = dir.resolve("nothing-here");
        assertEquals(missing + ": no such file or folder",
                assertThrows(TokenizerException.class, () -> Tokenizer.load(missing)).getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(empty + ": no tokenizer.json, nor vocab.json and merges.txt, in this folder",
                assertThrows(TokenizerException.class, () -> Tokenizer.load(empty)).getMessage());

        Path top = dir.resolve("array.json");
        Files.writeString(top, "[]", StandardCharsets.UTF_8);
        assertEquals(top + ": not a tokenizer.json: the top level is not a JSON object",
                assertThrows(TokenizerException.class, () -> Tokenizer.load(top)).getMessage());
    }

    private void assertProblem(TinyTokenizer files, String problem) throws IOException {
        Path file = files.write(dir);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(file));
        assertEquals(file + ": " + problem, e.getMessage());
    }
}
