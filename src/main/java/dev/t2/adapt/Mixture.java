package dev.t2.adapt;

import java.util.Map;

/** Pass 1's decision: weight per expert name (empty = the base model) and why, for the user to see. */
public record Mixture(Map<String, Double> weights, String reason) {
    public Mixture {
        weights = Map.copyOf(weights);
    }

    public static Mixture base(String reason) {
        return new Mixture(Map.of(), reason);
    }

    public boolean isBase() {
        return weights.isEmpty();
    }

    /** "base", an expert's name when it alone has weight 1, else "name weight + …" by name: how reports count pass 1's choices. */
    public String label() {
        if (isBase()) return "base";
        if (weights.size() == 1 && weights.values().iterator().next() == 1.0) return weights.keySet().iterator().next();
        return String.join(" + ", weights.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).toList());
    }
}
