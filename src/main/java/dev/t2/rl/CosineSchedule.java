package dev.t2.rl;

/** Learning rate with linear warm-up to {@code maxLr}, then cosine decay to {@code minLr} at {@code totalSteps}. */
public record CosineSchedule(int warmupSteps, int totalSteps, float maxLr, float minLr) {
    public CosineSchedule {
        if (warmupSteps < 0 || totalSteps <= 0 || !(maxLr > 0) || minLr < 0 || minLr > maxLr) {
            throw new IllegalArgumentException("need 0 ≤ warm-up, total > 0, 0 ≤ min lr ≤ max lr > 0");
        }
    }

    public float at(int step) {
        if (step < warmupSteps) return maxLr * (step + 1) / (warmupSteps + 1);
        if (step >= totalSteps) return minLr;
        double progress = (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
        return (float) (minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (maxLr - minLr));
    }
}
