package dev.t2.adapt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The Cross-Entropy Method as the reference searches expert mixing weights α: each generation samples a
 * population from N(mean, std²) clamped to [0, 1] (member 0 is the best so far, re-evaluated), ranks it by score
 * (accuracy, ties broken by log-likelihood), and sets mean and std to those of the elites (no smoothing).
 * Deterministic for a seed and a deterministic objective.
 */
public final class CrossEntropyMethod {
    private CrossEntropyMethod() {}

    /** Reference settings: population 32, 6 elites (ratio 0.2), initial std 0.5, 50 generations. */
    public record Config(int population, int elites, double initialStd, int generations, long seed) {
        public static Config reference() {
            return new Config(32, 6, 0.5, 50, 42);
        }

        public Config {
            if (population < 2 || elites < 1 || elites > population) throw new IllegalArgumentException("need 1 ≤ elites ≤ population, population ≥ 2");
            if (generations < 1 || !(initialStd >= 0)) throw new IllegalArgumentException("need generations ≥ 1 and initial std ≥ 0");
        }
    }

    /** A candidate's fitness: higher primary wins, then higher tie-break. */
    public record Score(double primary, double tieBreak) {
        public static final Comparator<Score> ORDER = Comparator.comparingDouble(Score::primary).thenComparingDouble(Score::tieBreak);
    }

    @FunctionalInterface
    public interface Objective {
        Score evaluate(double[] candidate);
    }

    public record Generation(int index, double[] mean, double[] std, double[][] population, Score[] scores, double[] best, Score bestScore) {}

    public record Result(double[] best, Score bestScore, List<Generation> history) {}

    public static Result run(int dims, double initialMean, Config config, Objective objective, Consumer<Generation> onGeneration) {
        SplittableRandom rnd = new SplittableRandom(config.seed());
        double[] mean = new double[dims], std = new double[dims];
        Arrays.fill(mean, initialMean);
        Arrays.fill(std, config.initialStd());
        double[] best = null;
        Score bestScore = null;
        List<Generation> history = new ArrayList<>();
        for (int g = 0; g < config.generations(); g++) {
            double[][] population = new double[config.population()][];
            for (int m = 0; m < population.length; m++) {
                if (m == 0 && best != null) {
                    population[m] = best.clone(); // the incumbent competes again (its score is re-measured)
                    continue;
                }
                double[] x = new double[dims];
                for (int d = 0; d < dims; d++) x[d] = Math.min(1, Math.max(0, mean[d] + std[d] * rnd.nextGaussian()));
                population[m] = x;
            }
            Score[] scores = new Score[population.length];
            for (int m = 0; m < population.length; m++) scores[m] = objective.evaluate(population[m]);
            Integer[] order = new Integer[population.length];
            for (int m = 0; m < order.length; m++) order[m] = m;
            Arrays.sort(order, (a, b) -> {
                int c = Score.ORDER.compare(scores[b], scores[a]);
                return c != 0 ? c : Integer.compare(a, b); // stable: earlier members win exact ties
            });
            best = population[order[0]].clone();
            bestScore = scores[order[0]];
            mean = new double[dims];
            std = new double[dims];
            for (int e = 0; e < config.elites(); e++) for (int d = 0; d < dims; d++) mean[d] += population[order[e]][d] / config.elites();
            for (int e = 0; e < config.elites(); e++) {
                for (int d = 0; d < dims; d++) std[d] += Math.pow(population[order[e]][d] - mean[d], 2) / config.elites();
            }
            for (int d = 0; d < dims; d++) std[d] = Math.sqrt(std[d]);
            Generation gen = new Generation(g, mean.clone(), std.clone(), population, scores, best.clone(), bestScore);
            history.add(gen);
            if (onGeneration != null) onGeneration.accept(gen);
        }
        return new Result(best, bestScore, history);
    }
}
