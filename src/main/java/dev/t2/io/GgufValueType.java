package dev.t2.io;

/** The metadata value types of GGUF, with their on-disk ids. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    /** uint64 byte length + UTF-8 bytes. */
    STRING(8, 8),
    /** uint32 element type + uint64 count + elements. */
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    public final int id;
    /** Fewest bytes a value of this type occupies; bounds how many values a count can honestly claim. */
    final int minBytes;

    GgufValueType(int id, int minBytes) {
        this.id = id;
        this.minBytes = minBytes;
    }

    /** The type with this id, or null. */
    public static GgufValueType ofId(long id) {
        for (GgufValueType t : values()) if (t.id == id) return t;
        return null;
    }
}
