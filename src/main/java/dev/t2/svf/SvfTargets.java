package dev.t2.svf;

import java.util.List;

/** Which projections SVF adapts; the reference trains only the MLP matrices. */
public enum SvfTargets {
    MLP(List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")),
    ATTN(List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj")),
    ALL(List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"));

    private final List<String> projections;

    SvfTargets(List<String> projections) {
        this.projections = projections;
    }

    /** Whether a projection name such as "model.layers.3.mlp.up_proj" is adapted. */
    public boolean includes(String projection) {
        for (String p : projections) if (projection.endsWith(p)) return true;
        return false;
    }

    /** Every adapted projection of a model with {@code layers} layers, in layer order. */
    public List<String> names(int layers) {
        List<String> out = new java.util.ArrayList<>();
        for (int l = 0; l < layers; l++) for (String p : projections) out.add("model.layers." + l + "." + p);
        return out;
    }
}
