package dev.t2.svf;

import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Base weights with SVF scales applied: each adapted projection becomes W' = U·diag(σ⊙z)·Vᵀ·(Σσ/Σσ⊙z) as a
 * dense f32 tensor built from the cached SVD; everything else is the base model's own (memory-mapped) tensors.
 * The base is never modified, so requests with different experts can run side by side.
 */
public final class AdaptedWeights {
    private AdaptedWeights() {}

    /**
     * @param transfer allow an expert trained on another model of the same shapes (the paper reuses Llama
     *                 experts on Mistral); without it a fingerprint mismatch is refused
     */
    public static void check(SvfExpert expert, ModelConfig config, LlamaWeights base, boolean transfer, java.io.PrintStream warnings) {
        Map<String, Tensor> byName = base.byName();
        for (var e : expert.shapes().entrySet()) {
            Tensor w = byName.get(e.getKey() + ".weight");
            if (w == null) throw new IllegalArgumentException("expert adapts '" + e.getKey() + "', which this model does not have");
            if (w.rows() != e.getValue()[0] || w.cols() != e.getValue()[1]) {
                throw new IllegalArgumentException("expert was trained on a model where " + e.getKey() + " is " + e.getValue()[0] + "×" + e.getValue()[1]
                        + "; here it is " + w.rows() + "×" + w.cols());
            }
        }
        String fingerprint = SvdCache.fingerprint(base, List.copyOf(expert.shapes().keySet()));
        if (!fingerprint.equals(expert.baseFingerprint())) {
            if (!transfer) {
                throw new IllegalArgumentException("expert was trained on another model (fingerprint " + expert.baseFingerprint() + ", this model "
                        + fingerprint + "); pass --transfer to apply it anyway");
            }
            warnings.println("warning: transferring an expert trained on another model (" + expert.architecture() + ", fingerprint "
                    + expert.baseFingerprint() + ") to this one (" + config.architecture() + ", " + fingerprint + ")");
        }
    }

    public static LlamaWeights apply(LlamaWeights base, Map<String, Svd> svds, Map<String, float[]> scales) {
        return base.withProjections((projection, w) -> adapt(projection, w, svds, scales));
    }

    private static Tensor adapt(String projection, Tensor base, Map<String, Svd> svds, Map<String, float[]> scales) {
        float[] z = scales.get(projection);
        if (z == null) return base;
        Svd svd = svds.get(projection);
        if (svd == null) throw new IllegalArgumentException("no SVD for " + projection);
        double sigmaSum = 0, scaledSum = 0;
        for (int k = 0; k < z.length; k++) {
            sigmaSum += svd.sigma()[k];
            scaledSum += svd.sigma()[k] * z[k];
        }
        // all-zero scales (a mixture with every α = 0) have no direction; Σσ/Σσ⊙z would be 0/0: keep the base matrix
        if (!(scaledSum > 0)) return base;
        return Tensor.ofFloats(base.name(), svd.reconstruct(z, (float) (sigmaSum / scaledSum)), base.rows(), base.cols());
    }
}
