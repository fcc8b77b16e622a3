package dev.t2.calm;

import dev.t2.model.KvCache;
import java.util.Arrays;

/**
 * Decoding state of one sequence in a composed model: the anchor's own KV cache (this object), the augmenting
 * model's separate KV cache, and per layer pair the cross-attention keys and values W^K·P, W^V·P of every
 * position so far (P = f_proj of m_A's layer output; keys rotated by position when the cross-attention has positions),
 * so each new token costs one step of each model.
 */
public final class ComposedCache extends KvCache {
    private final Composition owner;
    private final KvCache augment;
    private final float[][] keys, values;

    ComposedCache(Composition owner, int anchorLayers, int anchorKvDim, KvCache augment) {
        super(anchorLayers, anchorKvDim, 64);
        this.owner = owner;
        this.augment = augment;
        int pairs = owner.blocks().size(), width = owner.anchorWidth();
        keys = new float[pairs][64 * width];
        values = new float[pairs][64 * width];
    }

    private ComposedCache(ComposedCache source) {
        super(source);
        this.owner = source.owner;
        this.augment = source.augment.copy();
        int used = Math.max(1, source.length()) * owner.anchorWidth();
        keys = new float[source.keys.length][];
        values = new float[source.values.length][];
        for (int p = 0; p < keys.length; p++) {
            keys[p] = Arrays.copyOf(source.keys[p], used);
            values[p] = Arrays.copyOf(source.values[p], used);
        }
    }

    /** Copies the anchor's, the augmenting model's and the pairs' caches together. */
    @Override
    public ComposedCache copy() {
        return new ComposedCache(this);
    }

    Composition owner() {
        return owner;
    }

    KvCache augment() {
        return augment;
    }

    float[] pairKeys(int pair) {
        return keys[pair];
    }

    float[] pairValues(int pair) {
        return values[pair];
    }

    /** Stores pair {@code pair}'s key and value rows for {@code position}, growing the arrays by doubling. */
    void put(int pair, int position, float[] k, float[] v, int row) {
        int width = owner.anchorWidth();
        if ((position + 1) * width > keys[pair].length) {
            int capacity = Math.max(position + 1, 2 * keys[pair].length / width);
            keys[pair] = Arrays.copyOf(keys[pair], capacity * width);
            values[pair] = Arrays.copyOf(values[pair], capacity * width);
        }
        System.arraycopy(k, row * width, keys[pair], position * width, width);
        System.arraycopy(v, row * width, values[pair], position * width, width);
    }

    /** Drops positions ≥ n from the anchor's, the augmenting model's and the pairs' caches together. */
    @Override
    public void truncate(int n) {
        super.truncate(n);
        augment.truncate(n);
    }
}
