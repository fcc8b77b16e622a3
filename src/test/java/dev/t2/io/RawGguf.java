package dev.t2.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds GGUF bytes field by field, so tests can write files no correct writer would produce. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Magic, version, tensor count and metadata count. */
    static RawGguf header(int version, long tensorCount, long kvCount) {
        return new RawGguf().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensorCount).u64(kvCount);
    }

    RawGguf bytes(byte... b) {
        out.write(b, 0, b.length);
        return this;
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(long v) {
        return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    RawGguf u64(long v) {
        return bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    RawGguf string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u64(b.length).bytes(b);
    }

    /** A metadata entry with a uint32 value. */
    RawGguf kvU32(String key, long value) {
        return string(key).u32(GgufValueType.UINT32.id).u32(value);
    }

    RawGguf kvString(String key, String value) {
        return string(key).u32(GgufValueType.STRING.id).string(value);
    }

    /** A tensor-table entry; dims in GGUF order (ne0 first). */
    RawGguf tensorInfo(String name, int type, long offset, long... dims) {
        string(name).u32(dims.length);
        for (long d : dims) u64(d);
        return u32(type).u64(offset);
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    RawGguf padTo(int alignment) {
        while (out.size() % alignment != 0) out.write(0);
        return this;
    }

    RawGguf zeros(int n) {
        return bytes(new byte[n]);
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
