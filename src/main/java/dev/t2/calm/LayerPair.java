package dev.t2.calm;

/**
 * One connection of a composition: the augmenting model's output of layer {@code augmentLayer} (0-based) is
 * projected and cross-attended by the anchor's output of layer {@code anchorLayer}; the result enters the
 * anchor's residual stream as the input of layer {@code anchorLayer + 1}.
 */
public record LayerPair(int augmentLayer, int anchorLayer) {
    public LayerPair {
        if (augmentLayer < 0 || anchorLayer < 0) throw new IllegalArgumentException("layer indices must be ≥ 0, got " + augmentLayer + ":" + anchorLayer);
    }

    /** "i:j" (augmenting layer i, anchor layer j). */
    public static LayerPair parse(String spec) {
        String[] parts = spec.strip().split(":");
        try {
            if (parts.length == 2) return new LayerPair(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            // falls through to the one message below
        }
        throw new IllegalArgumentException("layer pair '" + spec + "' is not AUGMENT_LAYER:ANCHOR_LAYER, e.g. 3:1");
    }

    @Override
    public String toString() {
        return augmentLayer + ":" + anchorLayer;
    }
}
