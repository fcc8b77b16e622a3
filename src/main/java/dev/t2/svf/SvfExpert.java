package dev.t2.svf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task expert: one scale vector z (post-sigmoid, z = sigmoid(p)·maxMult) per adapted projection, plus what
 * it was trained for and on. Experts are tiny: Σ rank floats.
 *
 * @param baseFingerprint {@link SvdCache#fingerprint} of the base model's adapted matrices
 * @param shapes          projection → [out, in], to refuse a model of other shapes clearly
 */
public record SvfExpert(Map<String, float[]> scales, Map<String, int[]> shapes, String baseFingerprint, String architecture,
                        SvfTargets targets, Map<String, String> info) {
    public SvfExpert {
        scales = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scales));
        shapes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
        if (!scales.keySet().equals(shapes.keySet())) throw new IllegalArgumentException("scales and shapes name different projections");
    }

    public long parameterCount() {
        long n = 0;
        for (float[] z : scales.values()) n += z.length;
        return n;
    }

    /** z' = Σ_k α_k·z_k over experts of the same model (one global α per expert). */
    public static Map<String, float[]> mix(java.util.List<SvfExpert> experts, double[] alphas) {
        if (experts.size() != alphas.length) throw new IllegalArgumentException(experts.size() + " experts, " + alphas.length + " weights");
        return mix(experts, (k, matrix) -> alphas[k]);
    }

    /** z'_m = Σ_k α(k, m)·z_{k,m}, with α per expert index and matrix name (the few-shot search's per-matrix weights). */
    public static Map<String, float[]> mix(java.util.List<SvfExpert> experts, java.util.function.ToDoubleBiFunction<Integer, String> alpha) {
        if (experts.isEmpty()) throw new IllegalArgumentException("no experts to mix");
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String p : experts.getFirst().scales().keySet()) {
            float[] sum = new float[experts.getFirst().scales().get(p).length];
            for (int k = 0; k < experts.size(); k++) {
                float[] z = experts.get(k).scales().get(p);
                if (z == null || z.length != sum.length) throw new IllegalArgumentException("experts disagree on projection " + p);
                double a = alpha.applyAsDouble(k, p);
                for (int i = 0; i < sum.length; i++) sum[i] += (float) (a * z[i]);
            }
            out.put(p, sum);
        }
        return out;
    }
}
