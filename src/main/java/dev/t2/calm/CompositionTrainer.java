package dev.t2.calm;

import dev.t2.model.LlamaModel;
import dev.t2.model.TrainableWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;

/** Trains a composition's modules on sequences with target tokens; both models stay frozen. */
public final class CompositionTrainer {
    /** Rows per micro-batch: bounds activation memory whatever the batch. */
    static final int MICRO_BATCH_TOKENS = 4096;
    /** Steps at the end of a race whose mean training loss ranks the starts. */
    static final int RACE_WINDOW = 100;

    /** The composition training continued to the end, its last loss, and which start it grew from (0 when only one raced). */
    public record Trained(Composition composition, double loss, int start) {}

    private CompositionTrainer() {}

    /**
     * Trains (or resumes from {@code outDir}) and returns the loss of the last step.
     *
     * @param anchor m_B with every weight frozen
     */
    public static double train(Composition composition, TrainableWeights anchor, LlamaModel augment, List<TargetedTraining.Sequence> data,
                               TargetedTraining.Config config, Path outDir) throws IOException {
        return train("compose", composition, anchor, augment, data, config, outDir);
    }

    private static double train(String label, Composition composition, TrainableWeights anchor, LlamaModel augment,
                                List<TargetedTraining.Sequence> data, TargetedTraining.Config config, Path outDir) throws IOException {
        // m_A is frozen: its states for each training sequence are computed once, kept within an eighth of the heap
        var augmentStates = new AugmentStateCache(augment, composition.augmentLayers(), Runtime.getRuntime().maxMemory() / 8 / Float.BYTES);
        return TargetedTraining.train(label, composition.parameters(),
                loss -> ComposedBackprop.runInMicroBatches(composition, anchor, augmentStates, loss, MICRO_BATCH_TOKENS), data, config, outDir);
    }

    /**
     * Several initialisations race the first {@code raceSteps} steps of the schedule (start k in {@code outDir}/start-k, seeded
     * {@code seed + 1000·k}); the one with the lowest mean training loss over its last {@link #RACE_WINDOW} race steps trains on to
     * the end in its own directory. Why: a composition leaves its first loss plateau only for some initialisations, and
     * the training loss alone (no evaluation data) tells which did. With one start it trains in {@code outDir} itself.
     * Every start resumes from its checkpoint, and the choice is remade from the race's logged losses.
     */
    public static Trained trainBestOfStarts(LongFunction<Composition> initialise, long seed, int starts, int raceSteps, TrainableWeights anchor,
                                            LlamaModel augment, List<TargetedTraining.Sequence> data, TargetedTraining.Config config,
                                            Path outDir) throws IOException {
        if (starts < 1) throw new IllegalArgumentException("at least one start, got " + starts);
        if (starts == 1) {
            Composition only = initialise.apply(seed);
            return new Trained(only, train(only, anchor, augment, data, config, outDir), 0);
        }
        if (raceSteps < 1 || raceSteps >= config.steps()) {
            throw new IllegalArgumentException("a race of " + raceSteps + " steps does not fit a training of " + config.steps());
        }
        var race = config.withSteps(raceSteps); // the same schedule: the race is the start of the whole training
        Composition best = null;
        int bestStart = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int k = 0; k < starts; k++) {
            Composition candidate = initialise.apply(seed + 1000L * k);
            Path dir = outDir.resolve("start-" + k);
            train("compose start " + (k + 1) + "/" + starts, candidate, anchor, augment, data, race, dir);
            double loss = meanLoss(dir, raceSteps - Math.min(RACE_WINDOW, raceSteps), raceSteps);
            if (best == null || loss < bestLoss || Double.isNaN(bestLoss)) { // a diverged (NaN) start loses to any later one
                best = candidate;
                bestStart = k;
                bestLoss = loss;
            }
        }
        double last = train("compose start " + (bestStart + 1) + "/" + starts + " on", best, anchor, augment, data, config, outDir.resolve("start-" + bestStart));
        return new Trained(best, last, bestStart);
    }

    /** Seconds of training logged in {@code outDir} and in each of its raced starts (see {@link TargetedTraining#loggedSeconds}). */
    public static double loggedSeconds(Path outDir, int starts) throws IOException {
        double sum = TargetedTraining.loggedSeconds(outDir);
        for (int k = 0; k < starts; k++) sum += TargetedTraining.loggedSeconds(outDir.resolve("start-" + k)); // none when one start trained in outDir
        return sum;
    }

    /** The race the command-line tools run: the first eighth of the steps. */
    public static int defaultRaceSteps(int steps) {
        return Math.max(1, steps / 8);
    }

    /** Mean loss {@code dir}'s metrics logged for the steps in [from, to). */
    static double meanLoss(Path dir, int from, int to) throws IOException {
        double sum = 0;
        int n = 0;
        for (var row : TargetedTraining.loggedSteps(dir)) {
            int step = row.get("step").asInt();
            if (step >= from && step < to) {
                sum += row.get("loss").asDouble();
                n++;
            }
        }
        if (n != to - from) throw new IllegalStateException(dir.resolve("metrics.jsonl") + " logs " + n + " of the steps " + from + ".." + (to - 1));
        return sum / n;
    }
}
