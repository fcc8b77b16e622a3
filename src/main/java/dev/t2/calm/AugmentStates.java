package dev.t2.calm;

import dev.t2.model.KvCache;
import dev.t2.model.LlamaModel;
import dev.t2.model.SequenceChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The augmenting model's layer outputs that a composition reads, for whole sequences (forward only: m_A is frozen). */
final class AugmentStates {
    private AugmentStates() {}

    /** Layer → its output [rows, D_A], rows being the sequences' tokens one sequence after another. */
    static Map<Integer, float[]> of(LlamaModel augment, List<int[]> sequences, int[] layers) {
        List<SequenceChunk> chunks = new ArrayList<>();
        for (int[] seq : sequences) chunks.add(new SequenceChunk(new KvCache(augment.config().numLayers(), augment.config().kvDim(), seq.length), seq));
        Map<Integer, float[]> out = new HashMap<>();
        augment.forward(chunks, LlamaModel.Logits.NONE, capture(layers, out));
        if (out.size() != layers.length) throw new IllegalArgumentException("the augmenting model has no layer among " + java.util.Arrays.toString(layers));
        return out;
    }

    /** A hook that copies the residual stream after each of {@code layers} into {@code into} and adds nothing. */
    static dev.t2.model.ResidualHook capture(int[] layers, Map<Integer, float[]> into) {
        return (layer, residual) -> {
            for (int l : layers) if (l == layer) into.put(layer, residual.clone());
            return null;
        };
    }
}
