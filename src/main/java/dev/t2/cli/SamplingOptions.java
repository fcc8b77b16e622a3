package dev.t2.cli;

import dev.t2.generate.GenerationOptions;
import dev.t2.generate.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Sampling flags shared by the commands that generate text. */
final class SamplingOptions {
    @Option(names = "--temperature", description = "0 = greedy (default: ${DEFAULT-VALUE})", defaultValue = "1.0")
    float temperature;

    @Option(names = "--top-k", description = "keep the k most likely tokens, 0 = off (default: ${DEFAULT-VALUE})", defaultValue = "0")
    int topK;

    @Option(names = "--top-p", description = "nucleus sampling mass, 1 = off (default: ${DEFAULT-VALUE})", defaultValue = "0.9")
    float topP;

    @Option(names = "--min-p", description = "drop tokens below min-p × the top probability, 0 = off (default: ${DEFAULT-VALUE})", defaultValue = "0")
    float minP;

    @Option(names = "--seed", description = "random seed (default: time-based, printed)")
    Long seed;

    @Option(names = {"-n", "--max-tokens"}, description = "maximum new tokens (default: ${DEFAULT-VALUE})", defaultValue = "256")
    int maxTokens;

    @Option(names = "--stop", description = "stop string (repeatable)")
    List<String> stop = new ArrayList<>();

    GenerationOptions toOptions(Set<Integer> stopTokens) {
        long s = seed != null ? seed : System.nanoTime();
        if (seed == null && temperature > 0) System.err.println("seed: " + s);
        return new GenerationOptions(maxTokens, new SamplerConfig(temperature, topK, topP, minP), s, stopTokens, stop);
    }
}
