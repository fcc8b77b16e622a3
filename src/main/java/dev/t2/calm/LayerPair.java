package dev.t2.calm;

/**
 * One connection of a composition: the augmenting model's output of layer {@code augmentLayer} (0-based) is
 * projected and cross-attended by the anchor's output of layer {@code anchorLayer}; the result enters the
 * anchor's residual stream as the input of layer {@code anchorLayer + 1}. Anchor layer −1 stands for the embeddings
 * (the result enters before layer 0), an option beyond the paper, which connects layer outputs only.
 */
public record LayerPair(int augmentLayer, int anchorLayer) {
    public LayerPair {
        if (augmentLayer < 0 || anchorLayer < -1) {
            throw new IllegalArgumentException("layer pair " + augmentLayer + ":" + anchorLayer + ": the augmenting layer must be ≥ 0, the anchor layer ≥ −1");
        }
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
