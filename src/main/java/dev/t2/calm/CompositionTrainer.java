package dev.t2.calm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.model.LlamaModel;
import dev.t2.model.Parameter;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import dev.t2.rl.Adam;
import dev.t2.rl.CosineSchedule;
import dev.t2.rl.SupervisedTrainer.Example;
import dev.t2.rl.TrainingCheckpoint;
import dev.t2.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a composition on (prompt, answer) examples: the mean cross-entropy of the answer tokens under the composed
 * model, AdamW with warm-up + cosine learning rate and gradient clipping, JSONL metrics, and atomic checkpoints
 * from which a killed run resumes identically (batches depend only on the seed and the step).
 */
public final class CompositionTrainer {
    /** Rows per micro-batch: bounds activation memory whatever the batch. */
    static final int MICRO_BATCH_TOKENS = 4096;

    public record Config(int steps, int batchSize, CosineSchedule schedule, float weightDecay, float clipNorm, int checkpointEvery, long seed) {}

    private CompositionTrainer() {}

    /** Trains (or resumes from {@code outDir}/checkpoint.safetensors) and returns the loss of the last step. */
    public static double train(Composition composition, TrainableWeights anchor, LlamaModel augment, List<Example> examples, Config config,
                               Path outDir) throws IOException {
        if (examples.isEmpty()) throw new IllegalArgumentException("no training examples");
        Files.createDirectories(outDir);
        List<Parameter> params = composition.parameters();
        Adam adam = new Adam(params, 0.9f, 0.999f, 1e-8f, config.weightDecay(), config.clipNorm());
        Path checkpoint = outDir.resolve("checkpoint.safetensors"), metrics = outDir.resolve("metrics.jsonl");
        int start = 0;
        if (Files.isRegularFile(checkpoint)) {
            start = Integer.parseInt(TrainingCheckpoint.restore(checkpoint, params, adam).get("next_step"));
            TrainingCheckpoint.trimMetrics(metrics, start);
        } else {
            Files.deleteIfExists(metrics);
        }
        ObjectMapper json = new ObjectMapper();
        Progress progress = new Progress("compose", config.steps());
        if (start > 0) progress.advance(start, "resumed");
        int size = Math.min(config.batchSize(), examples.size()), perEpoch = Math.max(1, examples.size() / size);
        double last = Double.NaN;
        for (int step = start; step < config.steps(); step++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) order.add(i);
            Collections.shuffle(order, new Random(config.seed() + step / perEpoch)); // a fresh order each epoch
            List<Example> batch = order.subList((step % perEpoch) * size, (step % perEpoch) * size + size).stream().map(examples::get).toList();
            composition.zeroGrad();
            long t0 = System.nanoTime();
            last = ComposedBackprop.runInMicroBatches(composition, anchor, augment, answerLoss(batch), true, MICRO_BATCH_TOKENS).loss();
            float lr = config.schedule().at(step);
            double norm = adam.step(lr);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.writeString(metrics, json.createObjectNode().put("step", step).put("loss", last).put("lr", lr).put("grad_norm", norm)
                    .put("seconds", seconds) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if ((step + 1) % config.checkpointEvery() == 0 || step + 1 == config.steps()) TrainingCheckpoint.save(checkpoint, params, adam, step + 1, Map.of());
            progress.advance(1, String.format("loss %.4f", last));
        }
        return last;
    }

    /** Prompt followed by answer; every answer token weighs 1/N, N the batch's answer tokens. */
    public static TokenLoss answerLoss(List<Example> batch) {
        List<int[]> sequences = new ArrayList<>();
        int[] promptLengths = new int[batch.size()];
        long answerTokens = 0;
        for (int b = 0; b < batch.size(); b++) {
            Example e = batch.get(b);
            int[] seq = java.util.Arrays.copyOf(e.prompt(), e.prompt().length + e.answer().length);
            System.arraycopy(e.answer(), 0, seq, e.prompt().length, e.answer().length);
            sequences.add(seq);
            promptLengths[b] = e.prompt().length;
            answerTokens += e.answer().length;
        }
        float[] scale = new float[batch.size()];
        java.util.Arrays.fill(scale, (float) (1.0 / Math.max(1, answerTokens)));
        return TokenLoss.completions(sequences, promptLengths, scale);
    }
}
