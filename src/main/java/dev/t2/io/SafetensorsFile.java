package dev.t2.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then the raw tensor bytes. Every entry is
 * validated when the file is opened; tensors are zero-copy views.
 */
public final class SafetensorsFile {
    private static final long MAX_HEADER = 100L << 20; // the format caps headers at 100 MB

    private record Entry(String dtype, long[] shape, long begin, long end) {}

    private final Path path;
    private final MemorySegment data;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, MemorySegment data, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.data = data;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        return parse(path, MappedFile.map(path));
    }

    static SafetensorsFile parse(Path path, MemorySegment file) {
        String src = path.toString();
        if (file.byteSize() < 8) throw new CheckpointException(src + ": truncated: no safetensors header length (" + file.byteSize() + " bytes)");
        long headerLen = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > file.byteSize()) {
            throw new CheckpointException(src + ": header length " + headerLen + " is out of range for a file of " + file.byteSize() + " bytes");
        }
        byte[] headerBytes = file.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
        JsonNode header;
        try {
            header = new ObjectMapper().readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new CheckpointException(src + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) throw new CheckpointException(src + ": header is not a JSON object");
        MemorySegment data = file.asSlice(8 + headerLen);
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                if (!f.getValue().isObject()) throw new CheckpointException(src + ": __metadata__ is not an object");
                f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(f.getKey(), entry(src, f.getKey(), f.getValue(), data.byteSize()));
        }
        checkContiguous(src, entries, data.byteSize());
        return new SafetensorsFile(path, data, entries, metadata);
    }

    private static Entry entry(String src, String name, JsonNode node, long dataBytes) {
        String where = src + ": tensor '" + name + "'";
        if (!node.isObject()) throw new CheckpointException(where + ": entry is not an object");
        JsonNode dtype = node.get("dtype"), shape = node.get("shape"), offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual()) throw new CheckpointException(where + ": missing dtype");
        if (shape == null || !shape.isArray()) throw new CheckpointException(where + ": missing shape");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw new CheckpointException(where + ": data_offsets must be [begin, end]");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) throw new CheckpointException(where + ": bad shape " + shape);
            dims[i] = d.asLong();
        }
        long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataBytes) {
            throw new CheckpointException(where + ": data_offsets [" + begin + ", " + end + ") lie outside the " + dataBytes + "-byte data section (truncated file?)");
        }
        long elements;
        try {
            elements = Tensor.elementCount(dims);
        } catch (ArithmeticException e) {
            throw new CheckpointException(where + ": shape " + shape + " overflows");
        }
        int width = elementBytes(dtype.asText());
        if (width < 0) throw new CheckpointException(where + ": unknown dtype '" + dtype.asText() + "'");
        if (elements > Long.MAX_VALUE / Math.max(1, width) || elements * width != end - begin) {
            throw new CheckpointException(where + ": " + dtype.asText() + Arrays.toString(dims) + " needs " + (elements * width)
                    + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(dtype.asText(), dims, begin, end);
    }

    /** Bytes per element of every safetensors dtype, -1 when unknown. */
    private static int elementBytes(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> -1;
        };
    }

    /** As the reference implementation: tensors tile the data section exactly, with no overlap, gap or tail. */
    private static void checkContiguous(String src, Map<String, Entry> entries, long dataBytes) {
        List<Map.Entry<String, Entry>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort((a, b) -> a.getValue().begin() != b.getValue().begin() ? Long.compare(a.getValue().begin(), b.getValue().begin())
                : Long.compare(a.getValue().end(), b.getValue().end()));
        long expected = 0;
        String previous = null;
        for (var e : sorted) {
            if (e.getValue().begin() < expected) {
                throw new CheckpointException(src + ": tensors '" + previous + "' and '" + e.getKey() + "' overlap");
            }
            if (e.getValue().begin() > expected) {
                throw new CheckpointException(src + ": tensor '" + e.getKey() + "' starts at " + e.getValue().begin() + " leaving a gap after byte " + expected);
            }
            expected = e.getValue().end();
            previous = e.getKey();
        }
        if (expected != dataBytes) {
            throw new CheckpointException(src + ": " + (dataBytes - expected) + " bytes after the last tensor (the header does not describe the whole file)");
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The tensor as a zero-copy view; only float dtypes (F32, F16, BF16) can be used as weights. */
    public Tensor tensor(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new CheckpointException(path + ": no tensor '" + name + "'");
        DType dtype;
        try {
            dtype = DType.fromSafetensors(e.dtype());
        } catch (IllegalArgumentException ex) {
            throw new CheckpointException(path + ": tensor '" + name + "': " + ex.getMessage());
        }
        return new Tensor(name, dtype, e.shape(), data.asSlice(e.begin(), e.end() - e.begin()));
    }
}
