package dev.t2.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads little-endian GGUF fields from a mapped file, checking every read against the end of the file,
 * so a corrupt header yields a {@link CheckpointException} saying what was being read and where.
 */
final class GgufCursor {

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment file;
    private final Path path;
    private long position;

    GgufCursor(MemorySegment file, Path path) {
        this.file = file;
        this.path = path;
    }

    long position() {
        return position;
    }

    long remaining() {
        return file.byteSize() - position;
    }

    /** Fails unless {@code bytes} more bytes exist; {@code what} names the field for the message. */
    void need(long bytes, String what) {
        if (bytes > remaining()) {
            throw error("truncated: " + what + " needs " + bytes + " bytes at byte " + position + " but the file has "
                    + file.byteSize() + " bytes");
        }
    }

    int u8(String what) {
        need(1, what);
        return file.get(ValueLayout.JAVA_BYTE, position++) & 0xFF;
    }

    int u16(String what) {
        need(2, what);
        int v = file.get(U16, position) & 0xFFFF;
        position += 2;
        return v;
    }

    /** An unsigned 32-bit field. */
    long u32(String what) {
        need(4, what);
        long v = file.get(U32, position) & 0xFFFF_FFFFL;
        position += 4;
        return v;
    }

    /** A 64-bit field; unsigned values of 2^63 and above come back negative, which callers reject as absurd. */
    long u64(String what) {
        need(8, what);
        long v = file.get(U64, position);
        position += 8;
        return v;
    }

    float f32(String what) {
        need(4, what);
        float v = file.get(F32, position);
        position += 4;
        return v;
    }

    double f64(String what) {
        need(8, what);
        double v = file.get(F64, position);
        position += 8;
        return v;
    }

    /** A GGUF string: uint64 byte length then UTF-8 bytes (malformed UTF-8 is replaced, as with any text file). */
    String string(String what) {
        long start = position;
        long length = u64("length of " + what);
        if (length < 0 || length > remaining()) {
            throw error(what + ": string length " + Long.toUnsignedString(length) + " at byte " + start
                    + " goes beyond the end of the file (" + remaining() + " bytes left)");
        }
        if (length > Integer.MAX_VALUE - 8) throw error(what + ": string of " + length + " bytes is too long");
        byte[] bytes = new byte[(int) length];
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, position, bytes, 0, bytes.length);
        position += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Copies {@code count} elements of {@code layout} into {@code array} (a primitive array of that layout). */
    void bulk(ValueLayout layout, Object array, int count, String what) {
        long bytes = count * layout.byteSize();
        need(bytes, what);
        switch (array) {
            case byte[] a -> MemorySegment.copy(file, (ValueLayout.OfByte) layout, position, a, 0, count);
            case float[] a -> MemorySegment.copy(file, (ValueLayout.OfFloat) layout, position, a, 0, count);
            case double[] a -> MemorySegment.copy(file, (ValueLayout.OfDouble) layout, position, a, 0, count);
            case int[] a -> MemorySegment.copy(file, (ValueLayout.OfInt) layout, position, a, 0, count);
            case long[] a -> MemorySegment.copy(file, (ValueLayout.OfLong) layout, position, a, 0, count);
            case short[] a -> MemorySegment.copy(file, (ValueLayout.OfShort) layout, position, a, 0, count);
            default -> throw new IllegalArgumentException("unsupported array " + array.getClass());
        }
        position += bytes;
    }

    CheckpointException error(String problem) {
        return new CheckpointException(path, problem);
    }
}
