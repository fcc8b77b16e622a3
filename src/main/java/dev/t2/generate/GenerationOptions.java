package dev.t2.generate;

import java.util.List;
import java.util.Set;

/**
 * What one generation call does: at most {@code maxNewTokens} new tokens per sequence, chosen by
 * {@code sampler}; sequence i draws from its own random stream seeded {@code seed + i}, so results do not
 * depend on how prompts are batched. A sequence stops at any of {@code stopTokens} or {@code stopStrings}
 * (the stop string itself is not part of the text).
 */
public record GenerationOptions(int maxNewTokens, SamplerConfig sampler, long seed, Set<Integer> stopTokens,
                                List<String> stopStrings) {
    public GenerationOptions {
        if (maxNewTokens < 0) throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
        stopTokens = Set.copyOf(stopTokens);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) if (s.isEmpty()) throw new IllegalArgumentException("empty stop string");
    }

    public static GenerationOptions greedy(int maxNewTokens, Set<Integer> stopTokens) {
        return new GenerationOptions(maxNewTokens, SamplerConfig.GREEDY, 0, stopTokens, List.of());
    }

    public GenerationOptions withStopStrings(List<String> strings) {
        return new GenerationOptions(maxNewTokens, sampler, seed, stopTokens, strings);
    }
}
