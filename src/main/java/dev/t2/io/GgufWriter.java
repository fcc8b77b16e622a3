package dev.t2.io;

import dev.t2.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file: metadata of any value type plus tensors (F32, F16, BF16, Q8_0, Q4_0), each tensor's data
 * aligned to {@link #alignment(int)}. Shapes are row-major as in {@link Tensor} and stored reversed (ne0 first),
 * as llama.cpp expects. The file appears atomically: written to a temporary file beside it, then renamed.
 */
public final class GgufWriter {

    private record Entry(GgufValueType type, GgufValueType elementType, Object value) {}

    private final Map<String, Entry> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    /** Alignment of tensor data (a power of two); other than 32 it is recorded as general.alignment. */
    public GgufWriter alignment(int bytes) {
        if (bytes <= 0 || Integer.bitCount(bytes) != 1) throw new IllegalArgumentException("alignment must be a power of two: " + bytes);
        this.alignment = bytes;
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    /** INT32. */
    public GgufWriter putInt(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    /** UINT32, the type llama.cpp uses for counts and sizes such as llama.block_count. */
    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    /** INT64. */
    public GgufWriter putLong(String key, long value) {
        return put(key, GgufValueType.INT64, value);
    }

    /** FLOAT32. */
    public GgufWriter putFloat(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putStringArray(String key, String... values) {
        return putArray(key, GgufValueType.STRING, values);
    }

    public GgufWriter putFloatArray(String key, float... values) {
        return putArray(key, GgufValueType.FLOAT32, values);
    }

    /** INT32 elements. */
    public GgufWriter putIntArray(String key, int... values) {
        return putArray(key, GgufValueType.INT32, values);
    }

    /**
     * A scalar of any type: a Number for the numeric types (range-checked; UINT64 takes the raw bits of a long),
     * a Boolean for BOOL, a String for STRING.
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        if (type == GgufValueType.ARRAY) throw new IllegalArgumentException("use putArray for '" + key + "'");
        checkScalar(key, type, value);
        return add(key, new Entry(type, null, value));
    }

    /**
     * An array: int[] for UINT8/INT8/UINT16/INT16/INT32, long[] for UINT32/INT64/UINT64, float[], double[],
     * boolean[] or String[] — the same Java types {@link GgufFile#metadata()} returns.
     */
    public GgufWriter putArray(String key, GgufValueType elementType, Object values) {
        boolean fits = switch (elementType) {
            case UINT8, INT8, UINT16, INT16, INT32 -> values instanceof int[];
            case UINT32, INT64, UINT64 -> values instanceof long[];
            case FLOAT32 -> values instanceof float[];
            case FLOAT64 -> values instanceof double[];
            case BOOL -> values instanceof boolean[];
            case STRING -> values instanceof String[];
            case ARRAY -> false;
        };
        if (!fits) {
            throw new IllegalArgumentException("'" + key + "': an array of " + elementType + " cannot hold "
                    + (values == null ? "null" : values.getClass().getSimpleName()));
        }
        int n = java.lang.reflect.Array.getLength(values);
        for (int i = 0; i < n; i++) checkScalar(key + "[" + i + "]", elementType, java.lang.reflect.Array.get(values, i));
        return add(key, new Entry(GgufValueType.ARRAY, elementType, values));
    }

    /** Copies every metadata entry of {@code file} with its original type (for re-export). */
    public GgufWriter copyMetadata(GgufFile file) {
        for (Map.Entry<String, Object> e : file.metadata().entrySet()) {
            String key = e.getKey();
            if (key.equals(GgufFile.ALIGNMENT_KEY)) {
                alignment(file.alignment());
            } else if (file.valueType(key) == GgufValueType.ARRAY) {
                putArray(key, file.arrayElementType(key), e.getValue());
            } else {
                put(key, file.valueType(key), e.getValue());
            }
        }
        return this;
    }

    /** Adds a tensor (its bytes are read when the file is written). */
    public GgufWriter addTensor(Tensor tensor) {
        GgmlType.of(tensor.dtype());
        if (tensor.rank() < 1 || tensor.rank() > GgufFile.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' has rank " + tensor.rank()
                    + "; GGUF stores 1 to " + GgufFile.MAX_DIMENSIONS + " dimensions");
        }
        for (Tensor t : tensors) {
            if (t.name().equals(tensor.name())) throw new IllegalArgumentException("tensor '" + tensor.name() + "' added twice");
        }
        tensors.add(tensor);
        return this;
    }

    /** Writes everything to {@code path} atomically (temporary file + rename); nothing is left behind on failure. */
    public void write(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(dir, path.getFileName() + ".", ".tmp");
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeTo(out);
                out.force(true);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot write: " + e, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // The original failure is the one to report.
                }
            }
        }
    }

    private void writeTo(FileChannel out) throws IOException {
        Header h = new Header();
        h.u32(GgufFile.MAGIC);
        h.u32(3);
        h.u64(tensors.size());
        boolean recordAlignment = alignment != GgufFile.DEFAULT_ALIGNMENT;
        h.u64(metadata.size() + (recordAlignment ? 1 : 0));
        if (recordAlignment) {
            h.string(GgufFile.ALIGNMENT_KEY);
            h.u32(GgufValueType.UINT32.id);
            h.u32(alignment);
        }
        for (Map.Entry<String, Entry> e : metadata.entrySet()) {
            h.string(e.getKey());
            Entry entry = e.getValue();
            h.u32(entry.type().id);
            if (entry.type() == GgufValueType.ARRAY) {
                h.u32(entry.elementType().id);
                int n = java.lang.reflect.Array.getLength(entry.value());
                h.u64(n);
                for (int i = 0; i < n; i++) h.scalar(entry.elementType(), java.lang.reflect.Array.get(entry.value(), i));
            } else {
                h.scalar(entry.type(), entry.value());
            }
        }
        long offset = 0;
        long[] offsets = new long[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            h.string(t.name());
            h.u32(t.rank());
            for (int d = t.rank() - 1; d >= 0; d--) h.u64(t.shape()[d]); // ne0 = innermost = last row-major dimension
            h.u32(GgmlType.of(t.dtype()).id);
            offsets[i] = offset;
            h.u64(offset);
            offset = alignUp(offset + t.data().byteSize());
        }
        h.pad(alignUp(h.size()) - h.size());
        writeFully(out, ByteBuffer.wrap(h.toByteArray()));
        long written = 0;
        for (int i = 0; i < tensors.size(); i++) {
            writeFully(out, ByteBuffer.allocate((int) (offsets[i] - written)));
            MemorySegment data = tensors.get(i).data();
            for (long at = 0; at < data.byteSize(); at += 1 << 30) {
                writeFully(out, data.asSlice(at, Math.min(1L << 30, data.byteSize() - at)).asByteBuffer());
            }
            written = offsets[i] + data.byteSize();
        }
    }

    private long alignUp(long position) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) out.write(bytes);
    }

    private GgufWriter add(String key, Entry entry) {
        if (key.equals(GgufFile.ALIGNMENT_KEY)) {
            throw new IllegalArgumentException(GgufFile.ALIGNMENT_KEY + " is written from alignment(int)");
        }
        if (metadata.putIfAbsent(key, entry) != null) throw new IllegalArgumentException("metadata '" + key + "' set twice");
        return this;
    }

    private static void checkScalar(String key, GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case UINT8 -> inRange(value, 0, 0xFF);
            case INT8 -> inRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT16 -> inRange(value, 0, 0xFFFF);
            case INT16 -> inRange(value, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT32 -> inRange(value, 0, 0xFFFF_FFFFL);
            case INT32 -> inRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT64, INT64 -> value instanceof Long || value instanceof Integer;
            case FLOAT32, FLOAT64 -> value instanceof Number;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
            case ARRAY -> false;
        };
        if (!ok) throw new IllegalArgumentException("metadata '" + key + "': " + value + " is not a valid " + type);
    }

    private static boolean inRange(Object value, long min, long max) {
        if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) return false;
        long v = ((Number) value).longValue();
        return v >= min && v <= max;
    }

    /** The header being built, little-endian. */
    private static final class Header extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u32(long v) {
            scratch.clear();
            scratch.putInt((int) v);
            write(scratch.array(), 0, 4);
        }

        void u64(long v) {
            scratch.clear();
            scratch.putLong(v);
            write(scratch.array(), 0, 8);
        }

        void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            write(bytes, 0, bytes.length);
        }

        void pad(long n) {
            for (long i = 0; i < n; i++) write(0);
        }

        void scalar(GgufValueType type, Object value) {
            switch (type) {
                case UINT8, INT8, BOOL -> write(value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).intValue());
                case UINT16, INT16 -> {
                    int v = ((Number) value).intValue();
                    write(v & 0xFF);
                    write((v >>> 8) & 0xFF);
                }
                case UINT32, INT32 -> u32(((Number) value).longValue());
                case UINT64, INT64 -> u64(((Number) value).longValue());
                case FLOAT32 -> u32(Float.floatToRawIntBits(((Number) value).floatValue()));
                case FLOAT64 -> u64(Double.doubleToRawLongBits(((Number) value).doubleValue()));
                case STRING -> string((String) value);
                case ARRAY -> throw new IllegalStateException("nested arrays are not written");
            }
        }
    }
}
