package dev.t2.rl;

/**
 * Settings of REINFORCE training; the defaults are the reference implementation's: Adam lr 2e-3, global
 * grad-norm clip 1e-3, batch 256 prompts, 200 steps, validation every 10, one greedy rollout per prompt,
 * KL coefficient 0, no reward normalisation or clipping, seed 42. {@code recomputeActivations}: recompute each layer's
 * activations in the backward when keeping them would not fit ({@link dev.t2.model.Backprop#recomputeNeeded}); false
 * never recomputes.
 */
public record ReinforceConfig(int steps, int batchSize, float learningRate, float clipNorm, float klCoefficient,
                              float temperature, int maxNewTokens, int validateEvery, boolean normalizeRewards,
                              float rewardClip, boolean recomputeActivations, long seed) {
    public static ReinforceConfig reference() {
        return new ReinforceConfig(200, 256, 2e-3f, 1e-3f, 0f, 0f, 512, 10, false, 0f, true, 42);
    }

    public ReinforceConfig {
        if (steps < 0 || batchSize <= 0 || validateEvery <= 0) throw new IllegalArgumentException("steps >= 0, batch size and validation interval > 0");
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0");
        if (klCoefficient < 0) throw new IllegalArgumentException("KL coefficient must be >= 0");
    }

    public ReinforceConfig withSteps(int s) {
        return new ReinforceConfig(s, batchSize, learningRate, clipNorm, klCoefficient, temperature, maxNewTokens, validateEvery,
                normalizeRewards, rewardClip, recomputeActivations, seed);
    }
}
