package dev.t2.model;

import java.util.Arrays;

/** Keys and values of one sequence for every layer, growing as tokens are appended (extended by composed models' caches). */
public class KvCache {
    private final int kvDim;
    private final float[][] keys;
    private final float[][] values;
    private int length;

    public KvCache(int layers, int kvDim, int initialCapacity) {
        this.kvDim = kvDim;
        this.keys = new float[layers][Math.max(1, initialCapacity) * kvDim];
        this.values = new float[layers][Math.max(1, initialCapacity) * kvDim];
    }

    /** A copy of {@code source}'s first {@code source.length()} positions, independent of it from then on. */
    protected KvCache(KvCache source) {
        this.kvDim = source.kvDim;
        this.keys = new float[source.keys.length][];
        this.values = new float[source.values.length][];
        int used = Math.max(1, source.length) * kvDim;
        for (int l = 0; l < keys.length; l++) {
            keys[l] = Arrays.copyOf(source.keys[l], used);
            values[l] = Arrays.copyOf(source.values[l], used);
        }
        this.length = source.length;
    }

    /** An independent copy: several sequences can continue one prefilled prefix (e.g. a shared system prompt). */
    public KvCache copy() {
        return new KvCache(this);
    }

    /** Tokens already processed (the position of the next token). */
    public int length() {
        return length;
    }

    /** Drops everything from position {@code n} on (e.g. to reuse a shared prompt prefix). */
    public void truncate(int n) {
        if (n < 0 || n > length) throw new IllegalArgumentException("truncate to " + n + " of " + length);
        length = n;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    int kvDim() {
        return kvDim;
    }

    /** Makes room for {@code total} positions; doubles so appends stay amortised O(1). */
    void ensureCapacity(int total) {
        int capacity = keys[0].length / kvDim;
        if (total <= capacity) return;
        int newCapacity = Math.max(total, capacity * 2);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = Arrays.copyOf(keys[l], newCapacity * kvDim);
            values[l] = Arrays.copyOf(values[l], newCapacity * kvDim);
        }
    }

    void advance(int tokens) {
        length += tokens;
    }

    public long byteSize() {
        return 2L * keys.length * keys[0].length * Float.BYTES;
    }
}
