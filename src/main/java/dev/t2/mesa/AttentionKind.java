package dev.t2.mesa;

/** What one attention layer computes per head, all causal over positions i ≤ t. */
public enum AttentionKind {
    /** o_t = Σ_i v_i (k_i·q_t): raw scores, no normalisation. */
    LINEAR,
    /** o_t = Σ_i softmax_i(k_i·q_t) v_i, scores unscaled. */
    SOFTMAX,
    /** o_t = Σ_i v_i (k_i·R_t q_t), R_t = (Σ_{i≤t} k_i k_iᵀ + I/λ)⁻¹: the least-squares (mesa) layer, λ learned. */
    MESA
}
