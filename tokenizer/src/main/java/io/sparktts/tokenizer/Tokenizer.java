package io.sparktts.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The Qwen2 byte-level BPE tokenizer with added tokens, reproducing Hugging Face {@code tokenizers} exactly:
 * {@code encode(text)} gives the ids of {@code tokenizer.encode(text, add_special_tokens=False)} (Qwen adds no
 * BOS/EOS, so also the ids with special tokens added), {@code decode} those of {@code tokenizer.decode(ids,
 * skip_special_tokens)} without space clean-up.
 *
 * <p>Encoding: added tokens that are not normalized are split out of the raw text first (leftmost, longest
 * match, honouring single_word/lstrip/rstrip); each remaining part is NFC-normalized and split on the normalized
 * added tokens; what is left is cut by the Qwen2 pre-tokenizer pattern and each piece's UTF-8 bytes are merged by
 * rank. A tokenizer is immutable and safe to share between threads.
 *
 * <p>Bad input: {@code null} text or ids throw {@link NullPointerException}; unpaired surrogates in the text are
 * read as U+FFFD (what the JavaScript bindings of Hugging Face tokenizers and Rust's {@code from_utf16_lossy} do;
 * Python cannot pass them at all); an id outside the vocabulary in {@code decode} or {@code token} throws
 * {@link IllegalArgumentException} naming it (Hugging Face silently drops it). Time is linear in the text for the
 * split and O(n log n) in the length of one piece for BPE; nothing recurses.
 */
public final class Tokenizer {
    private static final Normalizer.Form NFC = Normalizer.Form.NFC;
    /** Ids must stay below this, so that a corrupt file cannot make the id tables absurdly large. */
    private static final int MAX_ID = 1 << 24;

    private final Path source;
    private final boolean nfc;
    private final BytePairEncoder bpe;
    private final AddedTokenMatcher rawAddedTokens;
    private final AddedTokenMatcher normalizedAddedTokens;
    private final Map<String, Integer> vocab;
    private final Map<String, Integer> addedIds;
    /** By id: Hugging Face's {@code id_to_token}, or null for ids that are no token. */
    private final String[] tokens;
    /** By id: the bytes {@code decode} writes for the token. */
    private final byte[][] decodedBytes;
    /** By id: whether {@code decode(ids, true)} leaves the token out. */
    private final boolean[] special;

    private Tokenizer(TokenizerDefinition d) throws TokenizerException {
        source = d.source();
        nfc = d.nfc();
        vocab = new HashMap<>(d.vocab()); // not Map.copyOf: its linear probing clusters on byte-level strings
        int modelSize = 0;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            checkToken(e.getKey(), e.getValue(), "vocabulary token");
            modelSize = Math.max(modelSize, e.getValue() + 1);
        }
        String[] modelTokens = new String[modelSize];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String other = modelTokens[e.getValue()];
            if (other != null) {
                throw fail("vocabulary tokens '" + other + "' and '" + e.getKey() + "' have the same id " + e.getValue());
            }
            modelTokens[e.getValue()] = e.getKey();
        }
        bpe = buildBpe(d);

        // Hugging Face's added vocabulary: a token already in the model keeps the model's id, a new one gets the
        // next id after the model vocabulary, in file order; the file's own ids must agree.
        Map<String, Integer> added = new HashMap<>();
        Map<Integer, AddedToken> addedById = new HashMap<>();
        Set<String> specialContents = new HashSet<>();
        int nextId = vocab.size();
        for (AddedToken t : d.addedTokens()) {
            if (t.content().isEmpty()) {
                continue;
            }
            Integer existing = added.get(t.content());
            if (existing != null && addedById.get(existing).sameFlags(t)) {
                continue;
            }
            int id = existing != null ? existing : vocab.getOrDefault(t.content(), -1);
            if (id < 0) {
                id = nextId++;
                if (id < modelTokens.length && modelTokens[id] != null) {
                    throw fail("added token '" + t.content() + "' gets id " + id + ", which the vocabulary gives to '"
                            + modelTokens[id] + "'");
                }
            }
            checkToken(t.content(), id, "added token");
            if (t.declaredId() >= 0 && t.declaredId() != id) {
                throw fail("added token '" + t.content() + "' has id " + t.declaredId()
                        + " in the file, but Hugging Face tokenizers gives it id " + id
                        + " (the ids of new added tokens follow the vocabulary size, in file order)");
            }
            added.put(t.content(), id);
            addedById.put(id, t);
            if (t.special()) {
                specialContents.add(t.content());
            }
        }
        addedIds = added;

        List<String> rawPatterns = new ArrayList<>();
        List<AddedToken> rawTokens = new ArrayList<>();
        List<Integer> rawIds = new ArrayList<>();
        List<String> normPatterns = new ArrayList<>();
        List<AddedToken> normTokens = new ArrayList<>();
        List<Integer> normIds = new ArrayList<>();
        int size = modelSize;
        for (Map.Entry<Integer, AddedToken> e : addedById.entrySet()) {
            AddedToken t = e.getValue();
            size = Math.max(size, e.getKey() + 1);
            if (t.normalized()) {
                normPatterns.add(normalize(t.content()));
                normTokens.add(t);
                normIds.add(e.getKey());
            } else {
                rawPatterns.add(t.content());
                rawTokens.add(t);
                rawIds.add(e.getKey());
            }
        }
        rawAddedTokens = matcher(rawPatterns, rawTokens, rawIds);
        normalizedAddedTokens = matcher(normPatterns, normTokens, normIds);

        tokens = new String[size];
        decodedBytes = new byte[size][];
        special = new boolean[size];
        for (int id = 0; id < size; id++) {
            AddedToken t = addedById.get(id);
            String token = t != null ? t.content() : id < modelSize ? modelTokens[id] : null;
            if (token == null) {
                continue;
            }
            // decode writes a normalized added token as its normalized form, and skips it by that form
            String written = t != null && t.normalized() ? normalize(token) : token;
            tokens[id] = token;
            decodedBytes[id] = ByteLevel.decode(written);
            special[id] = specialContents.contains(written);
        }
    }

    /**
     * Loads a tokenizer: a {@code tokenizer.json} file, or a folder holding one, or else a folder with
     * {@code vocab.json}, {@code merges.txt} and optionally {@code tokenizer_config.json} / {@code added_tokens.json}.
     *
     * @throws TokenizerException when the files are unreadable, malformed or describe another kind of tokenizer
     */
    public static Tokenizer load(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        TokenizerDefinition d;
        if (Files.isRegularFile(path)) {
            d = TokenizerJson.read(path);
        } else if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("tokenizer.json"))) {
                d = TokenizerJson.read(path.resolve("tokenizer.json"));
            } else if (Files.isRegularFile(path.resolve("vocab.json"))) {
                d = VocabMergesFiles.read(path);
            } else {
                throw TokenizerException.of(path, "no tokenizer.json, nor vocab.json and merges.txt, in this folder");
            }
        } else {
            throw TokenizerException.of(path, "no such file or folder");
        }
        return new Tokenizer(d);
    }

    /** The ids of {@code text}; see the class comment for null and unpaired surrogates. */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text is null");
        String s = withoutLoneSurrogates(text);
        BytePairEncoder.Scratch scratch = new BytePairEncoder.Scratch();
        IntList out = scratch.out;
        IntList rawSegments = new IntList();
        IntList segments = new IntList();
        rawAddedTokens.split(s, rawSegments);
        int[] raw = rawSegments.toArray();
        for (int r = 0; r < raw.length; r += 3) {
            if (raw[r + 2] >= 0) {
                out.add(raw[r + 2]);
                continue;
            }
            String part = normalize(raw[r] == 0 && raw[r + 1] == s.length() ? s : s.substring(raw[r], raw[r + 1]));
            segments.clear();
            normalizedAddedTokens.split(part, segments);
            int[] seg = segments.toArray();
            for (int g = 0; g < seg.length; g += 3) {
                if (seg[g + 2] >= 0) {
                    out.add(seg[g + 2]);
                    continue;
                }
                for (int p = seg[g], end = seg[g + 1]; p < end; ) {
                    int pieceEnd = Qwen2PreTokenizer.pieceEnd(part, p, end);
                    bpe.encode(part, p, pieceEnd, scratch);
                    p = pieceEnd;
                }
            }
        }
        return out.toArray();
    }

    /**
     * The text of {@code ids}: the tokens' bytes concatenated and read as UTF-8, each ill-formed sequence written
     * as U+FFFD; with {@code skipSpecialTokens}, special added tokens are left out. Throws
     * {@link IllegalArgumentException} for an id that is no token.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        Objects.requireNonNull(ids, "ids is null");
        int length = 0;
        for (int i = 0; i < ids.length; i++) {
            length += bytesOf(ids[i], i).length;
        }
        byte[] bytes = new byte[length];
        int n = 0;
        for (int id : ids) {
            if (skipSpecialTokens && special[id]) {
                continue;
            }
            byte[] b = decodedBytes[id];
            System.arraycopy(b, 0, bytes, n, b.length);
            n += b.length;
        }
        return Utf8.decodeLossy(bytes, n);
    }

    /** Number of ids: one more than the largest id of the vocabulary and the added tokens. */
    public int size() {
        return tokens.length;
    }

    /** The id of a token: an added token's content, or a vocabulary entry in its byte-level spelling. */
    public OptionalInt tokenId(String token) {
        Objects.requireNonNull(token, "token is null");
        Integer id = addedIds.get(token);
        if (id == null) {
            id = vocab.get(token);
        }
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token of an id (an added token's content, or a vocabulary entry in its byte-level spelling). */
    public String token(int id) {
        bytesOf(id, -1);
        return tokens[id];
    }

    /** Whether the id is a special added token, which {@code decode(ids, true)} leaves out. */
    public boolean isSpecial(int id) {
        bytesOf(id, -1);
        return special[id];
    }

    /**
     * The series {@code prefix + n + suffix}, n = 0..count-1, which must exist with consecutive ids, e.g.
     * {@code numberedTokens("<|bicodec_semantic_", "|>", 8192)}.
     */
    public NumberedTokens numberedTokens(String prefix, String suffix, int count) throws TokenizerException {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " is not positive");
        }
        OptionalInt first = tokenId(prefix + 0 + suffix);
        if (first.isEmpty()) {
            throw fail("no token '" + prefix + 0 + suffix + "'");
        }
        for (int n = 1; n < count; n++) {
            String token = prefix + n + suffix;
            OptionalInt id = tokenId(token);
            if (id.isEmpty() || id.getAsInt() != first.getAsInt() + n) {
                throw fail("token '" + token + "' " + (id.isEmpty() ? "is missing" : "has id " + id.getAsInt())
                        + ", expected id " + (first.getAsInt() + n) + " (consecutive after '" + prefix + 0 + suffix + "')");
            }
        }
        return new NumberedTokens(prefix, suffix, first.getAsInt(), count);
    }

    /** The decode bytes of an id, or an IllegalArgumentException naming it (and its position when known). */
    private byte[] bytesOf(int id, int position) {
        if (id >= 0 && id < decodedBytes.length && decodedBytes[id] != null) {
            return decodedBytes[id];
        }
        throw new IllegalArgumentException("unknown token id " + id + (position >= 0 ? " at position " + position : "")
                + " (this tokenizer has ids 0.." + (decodedBytes.length - 1) + ")");
    }

    private String normalize(String s) {
        return nfc ? Normalizer.normalize(s, NFC) : s;
    }

    private BytePairEncoder buildBpe(TokenizerDefinition d) throws TokenizerException {
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevel.charOf(b)));
            if (id == null) {
                throw fail(String.format("the vocabulary has no token '%c' for byte 0x%02X; only byte-level BPE,"
                        + " with all 256 byte tokens, is supported", ByteLevel.charOf(b), b));
            }
            byteIds[b] = id;
        }
        List<String[]> merges = d.merges();
        LongIntMap pairRanks = new LongIntMap(merges.size());
        int[] mergedIds = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            int left = mergePart(m[0], rank, m);
            int right = mergePart(m[1], rank, m);
            mergedIds[rank] = mergePart(m[0] + m[1], rank, m);
            pairRanks.put(((long) left << 32) | right, rank);
        }
        return new BytePairEncoder(byteIds, pairRanks, mergedIds, vocab, d.ignoreMerges());
    }

    private int mergePart(String token, int rank, String[] merge) throws TokenizerException {
        Integer id = vocab.get(token);
        if (id == null) {
            throw fail("merge " + (rank + 1) + " '" + merge[0] + " " + merge[1] + "': '" + token
                    + "' is not in the vocabulary");
        }
        return id;
    }

    private AddedTokenMatcher matcher(List<String> patterns, List<AddedToken> tokens, List<Integer> ids)
            throws TokenizerException {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < patterns.size(); i++) {
            String other = seen.put(patterns.get(i), tokens.get(i).content());
            if (other != null) {
                throw fail("added tokens '" + other + "' and '" + tokens.get(i).content() + "' both match '"
                        + patterns.get(i) + "'");
            }
        }
        return new AddedTokenMatcher(patterns, tokens, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    private void checkToken(String token, int id, String what) throws TokenizerException {
        if (id >= MAX_ID) {
            throw fail(what + " '" + token + "' has id " + id + ", above the supported " + (MAX_ID - 1));
        }
        if (!withoutLoneSurrogates(token).equals(token)) {
            throw fail(what + " with id " + id + " holds an unpaired surrogate, which is not text");
        }
    }

    private TokenizerException fail(String problem) {
        return TokenizerException.of(source, problem);
    }

    /** The text with every unpaired surrogate replaced by U+FFFD (the same string when there is none). */
    private static String withoutLoneSurrogates(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i += 2;
            } else if (Character.isSurrogate(c)) {
                break;
            } else {
                i++;
            }
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(i + 1));
                i += 2;
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return b.toString();
    }
}
