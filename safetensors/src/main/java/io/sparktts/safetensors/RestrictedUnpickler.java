package io.sparktts.safetensors;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code data.pkl} of a {@code torch.save(state_dict)} archive without running anything: a pickle machine
 * that knows only the opcodes such files use and the handful of globals they name (an ordered dict, the tensor
 * rebuild functions, the storage types). Any other global is refused by name, because a pickle may otherwise call
 * arbitrary code. Tensors come back as {@link TensorRef}s describing a view into a storage entry.
 */
final class RestrictedUnpickler {

    /** A storage named by a persistent id {@code ('storage', torch.XStorage, key, location, numel)}. */
    record StorageRef(DType dtype, String key, long numel) {}

    /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}: a strided view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** A pickled tuple (lists are {@link ArrayList}s, dicts {@link LinkedHashMap}s). */
    private record Tuple(List<Object> items) {}

    /** A global this reader knows; only the names in {@link #ALLOWED} are ever created. */
    private record Global(String qualifiedName) {}

    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    private static final Map<String, DType> STORAGES = Map.of(
            "torch.FloatStorage", DType.F32, "torch.HalfStorage", DType.F16, "torch.BFloat16Storage", DType.BF16,
            "torch.DoubleStorage", DType.F64, "torch.LongStorage", DType.I64, "torch.IntStorage", DType.I32,
            "torch.ShortStorage", DType.I16, "torch.CharStorage", DType.I8, "torch.ByteStorage", DType.U8,
            "torch.BoolStorage", DType.BOOL);

    /** Bounds a hostile pickle's memory: real state dicts stay far below these. */
    private static final int MAX_STACK = 1 << 20;
    private static final int MAX_MEMO = 1 << 22;
    private static final int MAX_RANK = 64;
    private static final Object UNSET = new Object();

    private final Path file;
    private final String entry;
    private final byte[] pickle;
    private int pos;
    private int opcodeStart;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    /** Memo slots by index ({@link #UNSET} where never written); indices are small and dense in practice. */
    private Object[] memo = unsetSlots(256);
    private int memoCount;
    /** The last key pushed into the top-level dict, to say which tensor a problem is in. */
    private String lastKey;

    private RestrictedUnpickler(Path file, String entry, byte[] pickle) {
        this.file = file;
        this.entry = entry;
        this.pickle = pickle;
    }

    /**
     * The state dict pickled in {@code pickle}: tensor names in pickle order, each with its view.
     * {@code entry} names the zip entry in messages.
     */
    static Map<String, TensorRef> stateDict(Path file, String entry, byte[] pickle) throws CheckpointException {
        RestrictedUnpickler u = new RestrictedUnpickler(file, entry, pickle);
        Object root = u.run();
        if (!(root instanceof Map<?, ?> map)) {
            throw CheckpointException.of(file, null, entry + " holds " + typeName(root) + ", not a state dict");
        }
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw CheckpointException.of(file, null, entry + " has a " + typeName(e.getKey())
                        + " key where a tensor name belongs");
            }
            if (!(e.getValue() instanceof TensorRef t)) {
                throw CheckpointException.of(file, name, "is " + typeName(e.getValue()) + ", not a tensor");
            }
            tensors.put(name, t);
        }
        return tensors;
    }

    private Object run() throws CheckpointException {
        while (pos < pickle.length) {
            opcodeStart = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int version = u8();
                    if (version > 5) {
                        throw problem("pickle protocol " + version + " is not supported");
                    }
                }
                case 0x95 -> skip(8); // FRAME: a length hint only
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> marks.push(stack.size()); // MARK
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 't' -> push(new Tuple(popMark())); // TUPLE
                case 0x85 -> push(new Tuple(popN(1))); // TUPLE1
                case 0x86 -> push(new Tuple(popN(2))); // TUPLE2
                case 0x87 -> push(new Tuple(popN(3))); // TUPLE3
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, items);
                    push(d);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(peek()).put(key(key), value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dict(peek()), items);
                }
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) u16()); // BININT2
                case 'J' -> push((long) (int) littleEndian(4)); // BININT
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(littleEndian(8)))); // BINFLOAT
                case 'X' -> push(text(littleEndian(4) & 0xFFFFFFFFL)); // BINUNICODE
                case 0x8c -> push(text(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(text(littleEndian(8))); // BINUNICODE8
                case 'q' -> memoize(u8()); // BINPUT
                case 'r' -> memoize(littleEndian(4) & 0xFFFFFFFFL); // LONG_BINPUT
                case 0x94 -> memoize(memoCount); // MEMOIZE
                case 'h' -> recall(u8()); // BINGET
                case 'j' -> recall(littleEndian(4) & 0xFFFFFFFFL); // LONG_BINGET
                case 'c' -> { // GLOBAL
                    String module = line();
                    String name = line();
                    push(global(module, name));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw problem("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, args));
                }
                case 'b' -> { // BUILD: state_dict() sets a _metadata attribute on its OrderedDict; it is ignored
                    Object state = pop();
                    if (!(peek() instanceof Map<?, ?>) || !(state instanceof Map<?, ?>)) {
                        throw problem("BUILD of " + typeName(peek()) + " with " + typeName(state)
                                + " is not supported");
                    }
                }
                case 'Q' -> push(persistentLoad(pop())); // BINPERSID
                default -> throw problem(String.format("pickle opcode 0x%02x is not supported", op));
            }
        }
        throw CheckpointException.of(file, null, entry + " ends without a STOP opcode");
    }

    private Global global(String module, String name) throws CheckpointException {
        String qualified = module + "." + name;
        if (qualified.equals(ORDERED_DICT) || qualified.equals(REBUILD_TENSOR) || qualified.equals(REBUILD_PARAMETER)
                || STORAGES.containsKey(qualified)) {
            return new Global(qualified);
        }
        throw problem("global '" + printable(qualified) + "' is not allowed: only the tensors of a state dict are "
                + "read, and a pickle naming other globals could run arbitrary code");
    }

    private Object call(Object callable, Object args) throws CheckpointException {
        if (!(callable instanceof Global g)) {
            throw problem("REDUCE calls " + typeName(callable) + ", not a known global");
        }
        if (!(args instanceof Tuple(List<Object> a))) {
            throw problem("REDUCE of " + g.qualifiedName() + " has " + typeName(args) + " arguments, not a tuple");
        }
        switch (g.qualifiedName()) {
            case ORDERED_DICT -> {
                if (!a.isEmpty()) {
                    throw problem(ORDERED_DICT + " is called with arguments");
                }
                return new LinkedHashMap<>();
            }
            case REBUILD_TENSOR -> {
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.size() != 6 && a.size() != 7) {
                    throw problem(REBUILD_TENSOR + " takes 6 or 7 arguments, not " + a.size());
                }
                if (!(a.get(0) instanceof StorageRef storage)) {
                    throw problem(REBUILD_TENSOR + " gets " + typeName(a.get(0)) + " instead of a storage");
                }
                long offset = nonNegative(a.get(1), "storage offset");
                long[] size = dims(a.get(2), "size");
                long[] stride = dims(a.get(3), "stride");
                if (size.length != stride.length) {
                    throw problem("tensor size has " + size.length + " dimensions but stride " + stride.length);
                }
                return new TensorRef(storage, offset, size, stride);
            }
            case REBUILD_PARAMETER -> {
                // (data, requires_grad, backward_hooks): a Parameter is its data for reading
                if (a.size() != 3 || !(a.getFirst() instanceof TensorRef t)) {
                    throw problem(REBUILD_PARAMETER + " needs (tensor, requires_grad, hooks)");
                }
                return t;
            }
            default -> throw problem(g.qualifiedName() + " cannot be called");
        }
    }

    private StorageRef persistentLoad(Object pid) throws CheckpointException {
        if (!(pid instanceof Tuple(List<Object> t)) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw problem("persistent id " + typeName(pid) + " is not ('storage', type, key, location, numel)");
        }
        if (!(t.get(1) instanceof Global g) || !STORAGES.containsKey(g.qualifiedName())) {
            throw problem("persistent id names " + typeName(t.get(1)) + " instead of a torch storage type");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String)) {
            throw problem("persistent id key and location must be strings");
        }
        return new StorageRef(STORAGES.get(g.qualifiedName()), key, nonNegative(t.get(4), "storage size"));
    }

    private long[] dims(Object value, String what) throws CheckpointException {
        if (!(value instanceof Tuple(List<Object> items)) || items.size() > MAX_RANK) {
            throw problem("tensor " + what + " is " + typeName(value) + ", not a tuple of at most " + MAX_RANK
                    + " integers");
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(items.get(i), what);
        }
        return out;
    }

    private long nonNegative(Object value, String what) throws CheckpointException {
        if (!(value instanceof Long n) || n < 0) {
            throw problem(what + " is " + (value instanceof Long ? value : typeName(value))
                    + ", not a non-negative integer");
        }
        return n;
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) throws CheckpointException {
        if (items.size() % 2 != 0) {
            throw problem("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(key(items.get(i)), items.get(i + 1));
        }
    }

    /** Dict keys must be plain values: hashing a (possibly self-containing) container could recurse forever. */
    private Object key(Object k) throws CheckpointException {
        if (k == null || k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double) {
            return k;
        }
        throw problem("dict key of type " + typeName(k) + " is not supported");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws CheckpointException {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw problem("APPEND to " + typeName(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws CheckpointException {
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw problem("SETITEM on " + typeName(o));
    }

    private void memoize(long index) throws CheckpointException {
        if (index >= MAX_MEMO) {
            throw problem("memo index " + index + " is beyond the " + MAX_MEMO + " this reader allows");
        }
        int i = (int) index;
        if (i >= memo.length) {
            Object[] grown = unsetSlots(Math.max(i + 1, Math.min(MAX_MEMO, 2 * memo.length)));
            System.arraycopy(memo, 0, grown, 0, memo.length);
            memo = grown;
        }
        if (memo[i] == UNSET) {
            memoCount++;
        }
        memo[i] = peek();
    }

    private static Object[] unsetSlots(int n) {
        Object[] slots = new Object[n];
        Arrays.fill(slots, UNSET);
        return slots;
    }

    private void recall(long index) throws CheckpointException {
        if (index >= memo.length || memo[(int) index] == UNSET) {
            throw problem("memo entry " + index + " is read before it is written");
        }
        push(memo[(int) index]);
    }

    private void push(Object o) throws CheckpointException {
        if (stack.size() >= MAX_STACK) {
            throw problem("pickle stack grows beyond " + MAX_STACK + " entries");
        }
        if (o instanceof String s && isDictKeyPosition()) {
            lastKey = s;
        }
        stack.add(o);
    }

    /** True when the next stack slot is a key of the top-level dict being filled by SETITEM or SETITEMS. */
    private boolean isDictKeyPosition() {
        int next = stack.size();
        if (next == 0 || !(stack.getFirst() instanceof Map<?, ?>)) {
            return false;
        }
        return (next == 1 && marks.isEmpty()) || (marks.size() == 1 && marks.peek() == 1 && (next - 1) % 2 == 0);
    }

    private Object pop() throws CheckpointException {
        int base = marks.isEmpty() ? 0 : marks.peek();
        if (stack.size() <= base) {
            throw problem("pickle stack underflow");
        }
        return stack.removeLast();
    }

    private Object peek() throws CheckpointException {
        int base = marks.isEmpty() ? 0 : marks.peek();
        if (stack.size() <= base) {
            throw problem("pickle stack underflow");
        }
        return stack.getLast();
    }

    private List<Object> popN(int n) throws CheckpointException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return Arrays.asList(items);
    }

    private List<Object> popMark() throws CheckpointException {
        if (marks.isEmpty()) {
            throw problem("no MARK on the pickle stack");
        }
        int base = marks.pop();
        List<Object> view = stack.subList(base, stack.size());
        List<Object> items = new ArrayList<>(view);
        view.clear();
        return items;
    }

    private int u8() throws CheckpointException {
        need(1);
        return pickle[pos++] & 0xFF;
    }

    private int u16() throws CheckpointException {
        return (int) littleEndian(2);
    }

    private long littleEndian(int bytes) throws CheckpointException {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (pickle[pos + i] & 0xFFL) << (8 * i);
        }
        pos += bytes;
        return v;
    }

    /** LONG1: a little-endian two's-complement integer of up to 8 bytes here. */
    private long long1() throws CheckpointException {
        int n = u8();
        if (n > 8) {
            throw problem("integer of " + n + " bytes does not fit 64 bits");
        }
        if (n == 0) {
            return 0;
        }
        long v = littleEndian(n);
        int shift = 64 - 8 * n;
        return (v << shift) >> shift;
    }

    private String text(long length) throws CheckpointException {
        if (length < 0 || length > pickle.length - pos) {
            throw problem("string of " + length + " bytes runs past the end of " + entry);
        }
        int n = (int) length;
        boolean ascii = true;
        for (int i = pos; i < pos + n && ascii; i++) {
            ascii = pickle[i] >= 0;
        }
        if (ascii) { // tensor names and storage keys: skip the decoder
            String s = new String(pickle, pos, n, StandardCharsets.ISO_8859_1);
            pos += n;
            return s;
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(pickle, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw problem("string is not valid UTF-8");
        }
    }

    /** A newline-terminated ASCII line, as GLOBAL writes module and name. */
    private String line() throws CheckpointException {
        int start = pos;
        while (pos < pickle.length && pickle[pos] != '\n') {
            if (pos - start > 256) {
                throw problem("GLOBAL name longer than 256 bytes");
            }
            pos++;
        }
        need(1);
        String s = new String(pickle, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
    }

    private void skip(int n) throws CheckpointException {
        need(n);
        pos += n;
    }

    private void need(int n) throws CheckpointException {
        if (n > pickle.length - pos) {
            throw CheckpointException.of(file, null, entry + " ends inside the opcode at offset " + opcodeStart);
        }
    }

    private CheckpointException problem(String message) {
        return CheckpointException.of(file, lastKey, entry + " offset " + opcodeStart + ": " + message);
    }

    private static String printable(String s) {
        String cut = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (char c : cut.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }

    /** A value's kind for messages; values themselves are never printed (they may be huge or self-containing). */
    private static String typeName(Object o) {
        return switch (o) {
            case null -> "None";
            case String _ -> "a string";
            case Long _ -> "an integer";
            case Double _ -> "a float";
            case Boolean _ -> "a bool";
            case Tuple t -> "a tuple of " + t.items().size();
            case List<?> _ -> "a list";
            case Map<?, ?> _ -> "a dict";
            case Global g -> g.qualifiedName();
            case StorageRef _ -> "a storage";
            case TensorRef _ -> "a tensor";
            default -> o.getClass().getSimpleName();
        };
    }
}
