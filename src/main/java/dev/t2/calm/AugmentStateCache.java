package dev.t2.calm;

import dev.t2.model.LlamaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The augmenting model's layer outputs per token sequence, computed once and kept while they fit a budget: m_A is frozen and
 * composition training shows the same sequences every epoch. The same values as {@link AugmentStates#of} (m_A's forward of a
 * sequence does not depend on the sequences batched with it).
 */
final class AugmentStateCache {
    private final LlamaModel augment;
    private final int[] layers;
    private final int width;
    private final long maxFloats;
    private final Map<Tokens, float[][]> bySequence = new HashMap<>(); // per sequence: one [length, D_A] block per layer
    private long floats;

    /** A sequence's tokens compared by content, so that equal sequences share their states. */
    private record Tokens(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Tokens t && Arrays.equals(ids, t.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }

    /** @param maxFloats states kept at most; sequences beyond it are computed afresh each time */
    AugmentStateCache(LlamaModel augment, int[] layers, long maxFloats) {
        this.augment = augment;
        this.layers = layers.clone();
        this.width = augment.config().hiddenSize();
        this.maxFloats = maxFloats;
    }

    /** Layer → its output [rows, D_A], rows being the sequences' tokens one sequence after another. */
    Map<Integer, float[]> of(List<int[]> sequences) {
        Map<Tokens, float[][]> found = new LinkedHashMap<>();
        List<int[]> missing = new ArrayList<>();
        for (int[] s : sequences) {
            Tokens key = new Tokens(s);
            if (found.containsKey(key)) continue;
            float[][] kept = bySequence.get(key);
            found.put(key, kept);
            if (kept == null) missing.add(s);
        }
        if (!missing.isEmpty()) {
            Map<Integer, float[]> fresh = AugmentStates.of(augment, missing, layers);
            int row = 0;
            for (int[] s : missing) {
                float[][] blocks = new float[layers.length][];
                for (int l = 0; l < layers.length; l++) blocks[l] = Arrays.copyOfRange(fresh.get(layers[l]), row * width, (row + s.length) * width);
                row += s.length;
                found.put(new Tokens(s), blocks);
                long size = (long) layers.length * s.length * width;
                if (floats + size <= maxFloats) {
                    bySequence.put(new Tokens(s), blocks);
                    floats += size;
                }
            }
        }
        int rows = sequences.stream().mapToInt(s -> s.length).sum();
        Map<Integer, float[]> out = new HashMap<>();
        for (int l = 0; l < layers.length; l++) {
            float[] all = new float[rows * width];
            int row = 0;
            for (int[] s : sequences) {
                System.arraycopy(found.get(new Tokens(s))[l], 0, all, row * width, s.length * width);
                row += s.length;
            }
            out.put(layers[l], all);
        }
        return out;
    }
}
