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
}
