package dev.t2.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.generate.Generation;
import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.generate.SamplerConfig;
import dev.t2.model.Backprop;
import dev.t2.model.LlamaModel;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import dev.t2.tokenizer.Tokenizer;
import dev.t2.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * REINFORCE on a policy's trainable weights (SVF scales, LoRA factors), as the reference trains experts: each step rolls out one completion per prompt of a
 * batch with the current weights, rewards it, and minimises −Σ_b r_b·Σ_t log π(y_t)/B with Adam and a global
 * grad-norm clip. Every {@code validateEvery} steps the validation split is scored and the best expert kept.
 * Every step is checkpointed atomically (scales, Adam moments, step), so a killed run resumes with identical
 * results: batches and rollouts depend only on the seed and the step. Metrics go to {@code metrics.jsonl}.
 */
public final class ReinforceTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tokens per backward pass; larger batches accumulate gradients over several passes to bound memory. */
    static final int MICRO_BATCH_TOKENS = 4096;

    private final Policy policy;
    private final Tokenizer tokenizer;
    private final Set<Integer> stopTokens;
    private final List<String> stopStrings;
    private final ReinforceConfig config;
    private final List<Episode> train, valid;
    private final Path outDir;
    private final Map<String, String> info;
    private final Adam adam;
    private final TrainableWeights reference;
    private double bestScore = Double.NEGATIVE_INFINITY;
    private int bestStep = -1;

    public record StepMetrics(int step, double rewardMean, double rewardStd, double loss, double kl, double gradNorm, double tokensPerSecond) {}

    public ReinforceTrainer(Policy policy, Tokenizer tokenizer, Set<Integer> stopTokens, List<String> stopStrings,
                            ReinforceConfig config, List<Episode> train, List<Episode> valid, Path outDir, Map<String, String> info) {
        if (train.isEmpty()) throw new IllegalArgumentException("no training prompts");
        this.policy = policy;
        this.tokenizer = tokenizer;
        this.stopTokens = stopTokens;
        this.stopStrings = stopStrings;
        this.config = config;
        this.train = List.copyOf(train);
        this.valid = List.copyOf(valid);
        this.outDir = outDir;
        this.info = Map.copyOf(info);
        this.adam = Adam.defaults(policy.parameters(), config.clipNorm());
        this.reference = config.klCoefficient() > 0 ? TrainableWeights.frozen(policy.config(), policy.base()) : null;
    }

    public Path expertFile() {
        return outDir.resolve("expert.safetensors");
    }

    public Path metricsFile() {
        return outDir.resolve("metrics.jsonl");
    }

    private Path checkpointFile() {
        return outDir.resolve("checkpoint.safetensors");
    }

    /** Runs (or resumes) training to {@code config.steps()}; returns the best validation score. */
    public double run() throws IOException {
        Files.createDirectories(outDir);
        int start = resume();
        Progress progress = new Progress("train", config.steps());
        if (start > 0) progress.resumed(start);
        for (int step = start; step < config.steps(); step++) {
            if (step % config.validateEvery() == 0) validate(step);
            StepMetrics m = step(step);
            appendMetrics(stepJson(m));
            checkpoint(step + 1);
            progress.advance(1, String.format("reward %.3f", m.rewardMean()));
        }
        validate(config.steps()); // the final weights are always scored
        return bestScore;
    }

    /** One policy-gradient step on the batch the seed assigns to this step. */
    StepMetrics step(int step) {
        List<Episode> batch = batch(step);
        long t0 = System.nanoTime();
        LlamaModel model = policy.model();
        List<int[]> prompts = batch.stream().map(Episode::prompt).toList();
        SamplerConfig sampler = config.temperature() == 0 ? SamplerConfig.GREEDY : new SamplerConfig(config.temperature(), 0, 1, 0);
        List<Generation> rollouts = new Generator(model, tokenizer).generate(prompts,
                new GenerationOptions(config.maxNewTokens(), sampler, config.seed() * 7919 + step, stopTokens, stopStrings), null);
        double[] rewards = new double[batch.size()];
        long generated = 0;
        for (int b = 0; b < batch.size(); b++) {
            rewards[b] = batch.get(b).reward().of(rollouts.get(b).text());
            generated += rollouts.get(b).tokens().length;
        }
        double mean = mean(rewards), std = std(rewards, mean);
        float[] scale = new float[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            double r = config.normalizeRewards() ? (rewards[b] - mean) / (std + 1e-8) : rewards[b];
            if (config.rewardClip() > 0) r = Math.max(-config.rewardClip(), Math.min(config.rewardClip(), r));
            scale[b] = (float) (r / batch.size());
        }
        List<int[]> sequences = new ArrayList<>();
        int[] promptLengths = new int[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            int[] p = prompts.get(b), y = rollouts.get(b).emittedTokens();
            int[] seq = java.util.Arrays.copyOf(p, p.length + y.length);
            System.arraycopy(y, 0, seq, p.length, y.length);
            sequences.add(seq);
            promptLengths[b] = p.length;
        }
        policy.trainable().zeroGrad();
        policy.beginStep(step);
        TokenLoss loss = TokenLoss.completions(sequences, promptLengths, scale);
        if (reference != null) loss = loss.withKlOnCompletions(promptLengths, config.klCoefficient() / batch.size());
        var result = Backprop.runInMicroBatches(policy.trainable(), loss, config.recomputeActivations(), reference, MICRO_BATCH_TOKENS);
        double norm = adam.step(config.learningRate());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new StepMetrics(step, mean, std, result.loss(), result.kl(), norm, generated / seconds);
    }

    private List<Episode> batch(int step) {
        int size = Math.min(config.batchSize(), train.size());
        int perEpoch = Math.max(1, train.size() / size);
        int epoch = step / perEpoch, slot = step % perEpoch;
        List<Episode> order = new ArrayList<>(train);
        java.util.Collections.shuffle(order, new Random(config.seed() + 1_000_003L * epoch)); // a fresh order each epoch
        return order.subList(slot * size, slot * size + size);
    }

    /** Accuracy (share of positive rewards) of greedy completions on the validation split; keeps the best expert. */
    public double validate(int step) throws IOException {
        if (valid.isEmpty()) return Double.NaN;
        LlamaModel model = policy.model();
        List<Generation> outs = new Generator(model, tokenizer).generate(valid.stream().map(Episode::prompt).toList(),
                GenerationOptions.greedy(config.maxNewTokens(), stopTokens).withStopStrings(stopStrings), null);
        int correct = 0;
        for (int i = 0; i < valid.size(); i++) if (valid.get(i).reward().of(outs.get(i).text()) > 0) correct++;
        double accuracy = correct / (double) valid.size();
        ObjectNode line = JSON.createObjectNode().put("step", step).put("val_accuracy", accuracy).put("val_items", valid.size());
        if (accuracy > bestScore) { // strictly greater, as the reference
            bestScore = accuracy;
            bestStep = step;
            writeExpert(step, accuracy);
            line.put("best", true);
        }
        appendMetrics(line);
        return accuracy;
    }

    private void writeExpert(int step, double score) {
        Map<String, String> meta = new LinkedHashMap<>(info);
        meta.put("steps", Integer.toString(step));
        meta.put("validation_score", Double.toString(score));
        meta.put("training_config", JSON.valueToTree(config).toString());
        meta.put("created", java.time.Instant.now().toString());
        policy.save(expertFile(), meta);
    }

    private ObjectNode stepJson(StepMetrics m) {
        return JSON.createObjectNode().put("step", m.step()).put("reward_mean", m.rewardMean()).put("reward_std", m.rewardStd())
                .put("loss", m.loss()).put("kl", m.kl()).put("grad_norm", m.gradNorm()).put("tokens_per_s", m.tokensPerSecond());
    }

    private void appendMetrics(ObjectNode line) throws IOException {
        Files.writeString(metricsFile(), line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Saves p, Adam's moments, the step and the best score so far. */
    private void checkpoint(int nextStep) {
        TrainingCheckpoint.save(checkpointFile(), policy.parameters(), adam, nextStep,
                Map.of("best_score", Double.toString(bestScore), "best_step", Integer.toString(bestStep)));
    }

    /** Restores the last checkpoint if there is one and drops metrics written after it; returns the step to run next. */
    private int resume() throws IOException {
        if (!Files.isRegularFile(checkpointFile())) {
            Files.deleteIfExists(metricsFile());
            return 0;
        }
        Map<String, String> meta = TrainingCheckpoint.restore(checkpointFile(), policy.parameters(), adam);
        bestScore = Double.parseDouble(meta.get("best_score"));
        bestStep = Integer.parseInt(meta.get("best_step"));
        int next = Integer.parseInt(meta.get("next_step"));
        TrainingCheckpoint.trimMetrics(metricsFile(), next);
        return next;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    private static double std(double[] x, double mean) {
        double s = 0;
        for (double v : x) s += (v - mean) * (v - mean);
        return Math.sqrt(s / x.length);
    }
}
