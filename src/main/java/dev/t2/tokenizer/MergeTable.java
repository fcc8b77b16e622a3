package dev.t2.tokenizer;

/**
 * BPE merges as an open-addressing hash table from a token pair to its rank (priority) and the merged token id;
 * hundreds of thousands of merges without a boxed object per entry.
 */
final class MergeTable {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds;
    private final int mask;

    MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        ranks = new int[capacity];
        mergedIds = new int[capacity];
        mask = capacity - 1;
    }

    /** Adds or replaces (a later duplicate wins, as in HF's HashMap) the merge of {@code left} and {@code right}. */
    void put(int left, int right, int rank, int mergedId) {
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY && keys[slot] != key) slot = (slot + 1) & mask;
        keys[slot] = key;
        ranks[slot] = rank;
        mergedIds[slot] = mergedId;
    }

    /** Slot of the pair's merge, or -1 when the pair does not merge. */
    int find(int left, int right) {
        long key = key(left, right);
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) return slot;
            if (k == EMPTY) return -1;
            slot = (slot + 1) & mask;
        }
    }

    int rank(int slot) {
        return ranks[slot];
    }

    int mergedId(int slot) {
        return mergedIds[slot];
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key; // murmur3's finalizer: every key bit reaches the low bits we index with
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
