package dev.t2.adapt;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.generate.Generation;
import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.SequenceChunk;
import dev.t2.svf.AdaptedWeights;
import dev.t2.svf.Svd;
import dev.t2.svf.SvfExpert;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Task;
import dev.t2.tasks.TaskItem;
import dev.t2.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategy 3, few-shot adaptation: the Cross-Entropy Method searches one α ∈ [0, 1] per expert per adapted
 * matrix (z'_m = Σ_k α_{k,m}·z_{k,m}, not normalised: the rescale makes only ratios matter), scoring each
 * candidate by its accuracy on the k labelled shots, ties broken by the mean per-token log-likelihood of the
 * shots' reference solutions. Every generation's scores go to JSONL; the best mixture becomes an expert.
 */
public final class FewShotSearch {
    private final ModelConfig config;
    private final LlamaWeights base;
    private final Map<String, Svd> svds;
    private final List<SvfExpert> experts;
    private final List<String> matrices;

    public FewShotSearch(ModelConfig config, LlamaWeights base, Map<String, Svd> svds, List<SvfExpert> experts) {
        if (experts.isEmpty()) throw new IllegalArgumentException("few-shot search needs at least one expert");
        this.config = config;
        this.base = base;
        this.svds = svds;
        this.experts = List.copyOf(experts);
        this.matrices = List.copyOf(experts.getFirst().scales().keySet());
    }

    /** z' for α laid out as [expert][matrix]. */
    public Map<String, float[]> scales(double[] alpha) {
        Map<String, Integer> column = new java.util.HashMap<>();
        for (int m = 0; m < matrices.size(); m++) column.put(matrices.get(m), m);
        return SvfExpert.mix(experts, (k, matrix) -> alpha[k * matrices.size() + column.get(matrix)]);
    }

    public int dimensions() {
        return experts.size() * matrices.size();
    }

    public record Outcome(double[] alpha, Map<String, float[]> scales, CrossEntropyMethod.Score score) {}

    public Outcome search(Task task, List<TaskItem> shots, PromptFormat format, Set<Integer> stopTokens, int maxNewTokens,
                          CrossEntropyMethod.Config cem, Path metricsJsonl) throws IOException {
        List<int[]> prompts = shots.stream().map(format::tokens).toList();
        List<int[]> solutions = shots.stream().map(s -> format.tokenizer().encode(s.solution(), false)).toList();
        GenerationOptions options = GenerationOptions.greedy(maxNewTokens, stopTokens).withStopStrings(task.stopStrings());
        Progress progress = new Progress("cem", (long) cem.generations() * cem.population());
        ObjectMapper json = new ObjectMapper();
        if (metricsJsonl != null) Files.deleteIfExists(metricsJsonl);
        var result = CrossEntropyMethod.run(dimensions(), 1.0 / experts.size(), cem, alpha -> {
            LlamaModel model = new LlamaModel(config, AdaptedWeights.apply(base, svds, scales(alpha)));
            List<Generation> outs = new Generator(model, format.tokenizer()).generate(prompts, options, null);
            int correct = 0;
            for (int i = 0; i < shots.size(); i++) if (task.check(shots.get(i), outs.get(i).text()).correct()) correct++;
            progress.advance(1, null);
            return new CrossEntropyMethod.Score(correct / (double) shots.size(), meanLogLikelihood(model, prompts, solutions));
        }, gen -> {
            if (metricsJsonl == null) return;
            var line = json.createObjectNode().put("generation", gen.index()).put("best_accuracy", gen.bestScore().primary())
                    .put("best_log_likelihood", gen.bestScore().tieBreak());
            var accs = line.putArray("accuracies");
            for (var s : gen.scores()) accs.add(s.primary());
            try {
                Files.writeString(metricsJsonl, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return new Outcome(result.best(), scales(result.best()), result.bestScore());
    }

    /** Mean log p of the solution tokens given their prompts (the reference's tie-break). */
    static double meanLogLikelihood(LlamaModel model, List<int[]> prompts, List<int[]> solutions) {
        double sum = 0;
        long count = 0;
        int vocab = model.config().vocabSize();
        for (int s = 0; s < prompts.size(); s++) {
            int[] p = prompts.get(s), y = solutions.get(s);
            if (y.length == 0) continue;
            int[] seq = java.util.Arrays.copyOf(p, p.length + y.length);
            System.arraycopy(y, 0, seq, p.length, y.length);
            if (seq.length > model.config().maxPositions()) continue;
            float[] logits = model.forward(List.of(new SequenceChunk(model.newCache(), seq)), LlamaModel.Logits.ALL);
            for (int t = p.length - 1; t < seq.length - 1; t++) {
                int o = t * vocab;
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int v = 0; v < vocab; v++) max = Math.max(max, logits[o + v]);
                for (int v = 0; v < vocab; v++) z += Math.exp(logits[o + v] - max);
                sum += logits[o + seq[t + 1]] - max - Math.log(z);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    List<String> matrices() {
        return new ArrayList<>(matrices);
    }
}
