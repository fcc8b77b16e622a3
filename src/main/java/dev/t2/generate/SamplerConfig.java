package dev.t2.generate;

/**
 * How the next token is chosen. Temperature 0 is greedy (argmax); otherwise logits are divided by the
 * temperature and filtered by top-k (0 = off), top-p (1 = off) and min-p (0 = off) before sampling.
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP) {
    public static final SamplerConfig GREEDY = new SamplerConfig(0, 0, 1, 0);

    public SamplerConfig {
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP < 1)) throw new IllegalArgumentException("min-p must be in [0, 1), got " + minP);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
