package dev.t2.io;

import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (version 2 or 3, little-endian), memory-mapped: metadata parsed into Java values and tensors
 * exposed as {@link Tensor} views of the mapped bytes (no copy, no 2 GB limit) in row-major shape.
 *
 * <p>Metadata values: UINT8/INT8/UINT16/INT16/INT32 → Integer, UINT32/INT64/UINT64 → Long (UINT64 as raw bits),
 * FLOAT32 → Float, FLOAT64 → Double, BOOL → Boolean, STRING → String; arrays → int[], long[], float[],
 * double[], boolean[] or String[] by the same rule. Every structural problem is a {@link CheckpointException}
 * naming the file, the key or tensor, and the problem. Close the file to unmap it; tensors die with it.
 */
public final class GgufFile implements AutoCloseable {

    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMENSIONS = 4;
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapped;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufValueType> types;
    private final Map<String, GgufValueType> elementTypes;
    private final int alignment;
    private final List<GgufTensorInfo> tensorInfos;
    private final Map<String, GgufTensorInfo> tensorsByName;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, MemorySegment mapped) {
        this.path = path;
        this.arena = arena;
        this.mapped = mapped;
        GgufCursor in = new GgufCursor(mapped, path);

        in.need(4, "magic");
        int magic = mapped.get(GgufCursor.U32, 0);
        if (magic != MAGIC) {
            throw in.error("not a GGUF file: starts with " + printable(mapped) + ", expected \"GGUF\"");
        }
        in.u32("magic");
        long v = in.u32("version");
        if (v != 2 && v != 3) {
            long swapped = Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            throw in.error(swapped >= 1 && swapped <= 3 ? "big-endian GGUF (version " + swapped + ") is not supported"
                    : "unsupported GGUF version " + v + " (supported: 2, 3)");
        }
        this.version = (int) v;
        long tensorCount = in.u64("tensor count");
        long kvCount = in.u64("metadata entry count");
        // Counts come before the data they describe; bound them by the bytes left so a corrupt count cannot make us allocate.
        if (kvCount < 0 || kvCount > in.remaining() / MIN_KV_BYTES) {
            throw in.error("metadata entry count " + Long.toUnsignedString(kvCount) + " is impossible: only "
                    + in.remaining() + " bytes follow");
        }
        if (tensorCount < 0 || tensorCount > (in.remaining() - kvCount * MIN_KV_BYTES) / MIN_TENSOR_INFO_BYTES) {
            throw in.error("tensor count " + Long.toUnsignedString(tensorCount) + " is impossible: only "
                    + in.remaining() + " bytes follow");
        }

        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, GgufValueType> valueTypes = new LinkedHashMap<>();
        Map<String, GgufValueType> arrayTypes = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("key of metadata entry " + i);
            if (values.containsKey(key)) throw in.error("metadata key '" + key + "' appears twice");
            GgufValueType type = valueType(in, "metadata '" + key + "'");
            valueTypes.put(key, type);
            if (type == GgufValueType.ARRAY) {
                GgufValueType elementType = valueType(in, "element type of metadata '" + key + "'");
                arrayTypes.put(key, elementType);
                values.put(key, readArray(in, key, elementType));
            } else {
                values.put(key, readScalar(in, key, type));
            }
        }
        this.metadata = Collections.unmodifiableMap(values);
        this.types = Collections.unmodifiableMap(valueTypes);
        this.elementTypes = Collections.unmodifiableMap(arrayTypes);
        this.alignment = alignmentOf(in);

        List<GgufTensorInfo> infos = new ArrayList<>();
        Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            GgufTensorInfo info = readTensorInfo(in, i);
            if (byName.putIfAbsent(info.name(), info) != null) throw in.error("tensor '" + info.name() + "' appears twice");
            infos.add(info);
        }
        this.tensorInfos = Collections.unmodifiableList(infos);
        this.tensorsByName = Collections.unmodifiableMap(byName);
        this.dataOffset = alignUp(in.position(), alignment);
        checkTensorData(in);
    }

    /** Maps and parses {@code path}. */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new GgufFile(path, arena, mapped);
        } catch (IOException e) {
            arena.close();
            throw new CheckpointException(path, "cannot read: " + e, e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static GgufValueType valueType(GgufCursor in, String what) {
        long id = in.u32("type of " + what);
        GgufValueType type = GgufValueType.ofId(id);
        if (type == null) throw in.error(what + " has unknown value type " + id);
        return type;
    }

    private static Object readScalar(GgufCursor in, String key, GgufValueType type) {
        String what = "value of '" + key + "'";
        return switch (type) {
            case UINT8 -> in.u8(what);
            case INT8 -> (int) (byte) in.u8(what);
            case UINT16 -> in.u16(what);
            case INT16 -> (int) (short) in.u16(what);
            case UINT32 -> in.u32(what);
            case INT32 -> (int) in.u32(what);
            case UINT64, INT64 -> in.u64(what);
            case FLOAT32 -> in.f32(what);
            case FLOAT64 -> in.f64(what);
            case BOOL -> bool(in, what);
            case STRING -> in.string(what);
            case ARRAY -> throw new IllegalStateException("arrays are read by readArray");
        };
    }

    private static boolean bool(GgufCursor in, String what) {
        int b = in.u8(what);
        if (b > 1) throw in.error(what + ": bool byte is " + b + ", must be 0 or 1");
        return b == 1;
    }

    private static Object readArray(GgufCursor in, String key, GgufValueType elementType) {
        long count = in.u64("length of array '" + key + "'");
        if (elementType == GgufValueType.ARRAY) {
            throw in.error("metadata '" + key + "' is an array of arrays, which GGUF readers (llama.cpp included) do not support");
        }
        if (count < 0 || count > in.remaining() / elementType.minBytes || count > Integer.MAX_VALUE - 8) {
            throw in.error("array '" + key + "' claims " + Long.toUnsignedString(count) + " " + elementType
                    + " elements but only " + in.remaining() + " bytes follow");
        }
        int n = (int) count;
        String what = "elements of array '" + key + "'";
        switch (elementType) {
            case STRING -> {
                String[] strings = new String[n];
                for (int i = 0; i < n; i++) strings[i] = in.string("element " + i + " of array '" + key + "'");
                return strings;
            }
            case BOOL -> {
                boolean[] flags = new boolean[n];
                for (int i = 0; i < n; i++) flags[i] = bool(in, what);
                return flags;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                in.bulk(GgufCursor.F32, a, n, what);
                return a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                in.bulk(GgufCursor.F64, a, n, what);
                return a;
            }
            case INT32 -> {
                int[] a = new int[n];
                in.bulk(GgufCursor.U32, a, n, what);
                return a;
            }
            case UINT32 -> {
                int[] raw = new int[n];
                in.bulk(GgufCursor.U32, raw, n, what);
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = raw[i] & 0xFFFF_FFFFL;
                return a;
            }
            case INT64, UINT64 -> {
                long[] a = new long[n];
                in.bulk(GgufCursor.U64, a, n, what);
                return a;
            }
            case UINT8, INT8 -> {
                byte[] raw = new byte[n];
                in.bulk(ValueLayout.JAVA_BYTE, raw, n, what);
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = elementType == GgufValueType.UINT8 ? raw[i] & 0xFF : raw[i];
                return a;
            }
            case UINT16, INT16 -> {
                short[] raw = new short[n];
                in.bulk(GgufCursor.U16, raw, n, what);
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = elementType == GgufValueType.UINT16 ? raw[i] & 0xFFFF : raw[i];
                return a;
            }
            default -> throw new IllegalStateException(elementType.toString());
        }
    }

    private int alignmentOf(GgufCursor in) {
        if (!metadata.containsKey(ALIGNMENT_KEY)) return DEFAULT_ALIGNMENT;
        Object value = metadata.get(ALIGNMENT_KEY);
        long a = value instanceof Integer i ? i : value instanceof Long l ? l : -1;
        if (a <= 0 || a > (1 << 30) || Long.bitCount(a) != 1) {
            throw in.error(ALIGNMENT_KEY + " must be a power of two integer, is " + describe(value));
        }
        return (int) a;
    }

    private GgufTensorInfo readTensorInfo(GgufCursor in, long index) {
        String name = in.string("name of tensor " + index);
        String what = "tensor '" + name + "'";
        long dimensionCount = in.u32("dimension count of " + what);
        if (dimensionCount < 1 || dimensionCount > MAX_DIMENSIONS) {
            throw in.error(what + " has " + dimensionCount + " dimensions (GGUF allows 1 to " + MAX_DIMENSIONS + ")");
        }
        long[] dims = new long[(int) dimensionCount];
        long elements = 1;
        for (int d = 0; d < dims.length; d++) {
            dims[d] = in.u64("dimension " + d + " of " + what);
            if (dims[d] < 0) throw in.error(what + ": dimension " + d + " is " + Long.toUnsignedString(dims[d]));
            try {
                elements = Math.multiplyExact(elements, dims[d]);
            } catch (ArithmeticException e) {
                throw in.error(what + ": element count of dimensions " + java.util.Arrays.toString(dims) + " overflows");
            }
        }
        long typeId = in.u32("type of " + what);
        GgmlType type = GgmlType.ofId(typeId);
        if (type == null) throw in.error(what + " has unknown ggml type " + typeId);
        if (dims[0] % type.blockSize != 0) {
            throw in.error(what + ": innermost dimension " + dims[0] + " is not a multiple of the " + type
                    + " block size " + type.blockSize);
        }
        long byteSize;
        try {
            byteSize = Math.multiplyExact(elements / type.blockSize, (long) type.blockBytes);
        } catch (ArithmeticException e) {
            throw in.error(what + ": byte size overflows");
        }
        long offset = in.u64("data offset of " + what);
        if (offset < 0) throw in.error(what + ": data offset " + Long.toUnsignedString(offset) + " is beyond any file");
        if (offset % alignment != 0) {
            throw in.error(what + ": data offset " + offset + " is not a multiple of the alignment " + alignment);
        }
        return new GgufTensorInfo(name, dims, type, offset, byteSize);
    }

    /** Every tensor lies inside the data section and no two share bytes. */
    private void checkTensorData(GgufCursor in) {
        if (tensorInfos.isEmpty()) return;
        long dataSize = mapped.byteSize() - dataOffset;
        if (dataSize < 0) {
            throw in.error("tensor data would start at byte " + dataOffset + ", past the end of the file ("
                    + mapped.byteSize() + " bytes)");
        }
        for (GgufTensorInfo t : tensorInfos) {
            if (t.offset() > dataSize || t.byteSize() > dataSize - t.offset()) {
                throw in.error("tensor '" + t.name() + "': data [" + t.offset() + ", " + (t.offset() + t.byteSize())
                        + ") lies outside the data section of " + dataSize + " bytes (truncated file?)");
            }
        }
        List<GgufTensorInfo> byOffset = new ArrayList<>(tensorInfos.stream().filter(t -> t.byteSize() > 0).toList());
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensorInfo a = byOffset.get(i - 1), b = byOffset.get(i);
            if (a.offset() + a.byteSize() > b.offset()) {
                throw in.error("tensors '" + a.name() + "' [" + a.offset() + ", " + (a.offset() + a.byteSize())
                        + ") and '" + b.name() + "' [" + b.offset() + ", " + (b.offset() + b.byteSize()) + ") overlap");
            }
        }
    }

    private static long alignUp(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private static String printable(MemorySegment file) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < 4; i++) {
            int b = file.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            s.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return s.append('"').toString();
    }

    private static String describe(Object value) {
        return value == null ? "missing" : value.getClass().isArray() ? "an array" : value.toString();
    }

    // ---- metadata ----

    /** All metadata, in file order (see the class comment for the Java types). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    /** The GGUF type a key was stored with. */
    public GgufValueType valueType(String key) {
        required(key);
        return types.get(key);
    }

    /** The element type of an array key, or null when the key is not an array. */
    public GgufValueType arrayElementType(String key) {
        return elementTypes.get(key);
    }

    public String getString(String key) {
        if (required(key) instanceof String s) return s;
        throw wrongType(key, "a string");
    }

    /** Any integer type whose value fits an int. */
    public int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new CheckpointException(path, "metadata '" + key + "' = " + v + " does not fit an int");
        return (int) v;
    }

    /** Any integer type (UINT64 above 2^63 rejected). */
    public long getLong(String key) {
        Object v = required(key);
        if (v instanceof Integer i) return i;
        if (v instanceof Long l) {
            if (l < 0 && types.get(key) == GgufValueType.UINT64) {
                throw new CheckpointException(path, "metadata '" + key + "' = " + Long.toUnsignedString(l) + " does not fit a long");
            }
            return l;
        }
        throw wrongType(key, "an integer");
    }

    /** FLOAT32 or FLOAT64 (narrowed). */
    public float getFloat(String key) {
        Object v = required(key);
        if (v instanceof Float f) return f;
        if (v instanceof Double d) return d.floatValue();
        throw wrongType(key, "a float");
    }

    public boolean getBoolean(String key) {
        if (required(key) instanceof Boolean b) return b;
        throw wrongType(key, "a bool");
    }

    public String[] getStringArray(String key) {
        if (required(key) instanceof String[] a) return a.clone();
        throw wrongType(key, "an array of strings");
    }

    public float[] getFloatArray(String key) {
        Object v = required(key);
        if (v instanceof float[] a) return a.clone();
        if (v instanceof double[] a) {
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
            return f;
        }
        throw wrongType(key, "an array of floats");
    }

    /** An array of any integer type whose values fit an int (e.g. token types, ids). */
    public int[] getIntArray(String key) {
        Object v = required(key);
        if (v instanceof int[] a) return a.clone();
        if (v instanceof long[] a) {
            int[] ints = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                if (a[i] < Integer.MIN_VALUE || a[i] > Integer.MAX_VALUE) {
                    throw new CheckpointException(path, "metadata '" + key + "'[" + i + "] = " + a[i] + " does not fit an int");
                }
                ints[i] = (int) a[i];
            }
            return ints;
        }
        throw wrongType(key, "an array of integers");
    }

    private Object required(String key) {
        Object v = metadata.get(key);
        if (v == null) throw new CheckpointException(path, "metadata '" + key + "' is missing");
        return v;
    }

    private CheckpointException wrongType(String key, String expected) {
        GgufValueType type = types.get(key);
        String actual = type == GgufValueType.ARRAY ? "ARRAY of " + elementTypes.get(key) : String.valueOf(type);
        return new CheckpointException(path, "metadata '" + key + "' is " + actual + ", expected " + expected);
    }

    // ---- tensors ----

    /** The tensor table in file order, including tensors whose type t2 cannot compute with. */
    public List<GgufTensorInfo> tensorInfos() {
        return tensorInfos;
    }

    public boolean hasTensor(String name) {
        return tensorsByName.containsKey(name);
    }

    /** The named tensor as a view of the mapped file, in row-major (Hugging Face) shape. */
    public Tensor tensor(String name) {
        GgufTensorInfo info = tensorsByName.get(name);
        if (info == null) throw new CheckpointException(path, "no tensor '" + name + "'");
        if (info.type().dtype == null) {
            throw new CheckpointException(path, "tensor '" + name + "' has ggml type " + info.type() + " (" + info.type().id
                    + "), which t2 does not support (supported: F32, F16, BF16, Q8_0, Q4_0)");
        }
        MemorySegment bytes = mapped.asSlice(dataOffset + info.offset(), info.byteSize());
        return new Tensor(name, info.type().dtype, info.shape(), bytes);
    }

    /** All tensors in file order; fails on the first one of an unsupported type. */
    public List<Tensor> tensors() {
        List<Tensor> all = new ArrayList<>(tensorInfos.size());
        for (GgufTensorInfo info : tensorInfos) all.add(tensor(info.name()));
        return all;
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public int alignment() {
        return alignment;
    }

    /** Absolute file offset where the tensor data section starts. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Unmaps the file; tensors obtained from it must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.size() + " keys, " + tensorInfos.size() + " tensors]";
    }
}
