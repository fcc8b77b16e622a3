package dev.t2.model;

/**
 * A term added to a decoder's residual stream after chosen layers, seen by every forward pass: how CALM injects
 * the augmenting model's states into the anchor, and how it reads the augmenting model's layer outputs.
 */
@FunctionalInterface
public interface ResidualHook {
    /**
     * Called after layer {@code layer} (−1: after the embeddings, before layer 0) with the residual stream [rows, hidden]
     * (rows in the forward call's order, valid only during the call, not to be modified); returns the term [rows, hidden]
     * to add, or null for none.
     */
    float[] afterLayer(int layer, float[] residual);
}
