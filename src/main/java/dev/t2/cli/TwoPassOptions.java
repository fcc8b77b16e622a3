package dev.t2.cli;

import dev.t2.adapt.CrossEntropyMethod;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The two-pass adaptation flags generate, chat and eval share. */
final class TwoPassOptions {
    @Option(names = "--experts", description = "expert library directory (experts.json) for two-pass adaptation")
    Path experts;

    @Option(names = "--strategy", defaultValue = "none", description = "none; prompt (the base model classifies the prompt); "
            + "classifier (the base with --classifier-expert does); fewshot (eval: CEM on seeded shots of the task) or fewshot:TASK "
            + "(generate/chat: CEM on a task's labelled items) (default: ${DEFAULT-VALUE})")
    String strategy;

    @Option(names = "--classifier-expert", description = "classification expert file (strategy classifier)")
    Path classifierExpert;

    @Option(names = "--cem-generations", defaultValue = "50", description = "few-shot CEM generations (default: ${DEFAULT-VALUE})")
    int cemGenerations;

    @Option(names = "--cem-population", defaultValue = "32", description = "few-shot CEM population; elites are 20 %% of it (default: ${DEFAULT-VALUE})")
    int cemPopulation;

    boolean none() {
        return strategy.equals("none");
    }

    CrossEntropyMethod.Config cem(long seed) {
        return new CrossEntropyMethod.Config(cemPopulation, Math.max(1, Math.round(cemPopulation * 0.2f)), 0.5, cemGenerations, seed);
    }
}
