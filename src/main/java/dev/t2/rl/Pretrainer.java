package dev.t2.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.model.Backprop;
import dev.t2.model.Parameter;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
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
 * Training every weight of a (small) model from scratch by next-token prediction: AdamW, warm-up + cosine
 * learning rate, global gradient clipping, JSONL metrics, and atomic checkpoints (weights + Adam moments) from
 * which a killed run resumes with identical results: batches depend only on the seed and the step.
 */
public final class Pretrainer {
    public record Config(int steps, int batchSequences, CosineSchedule schedule, float weightDecay, float clipNorm,
                         int checkpointEvery, long seed) {}

    private Pretrainer() {}

    /**
     * Trains (or resumes) and returns the mean loss of the last step: the mean cross-entropy of the tokens after each
     * sequence's prompt ({@code promptLengths[i]} tokens; 1 trains on every token).
     */
    public static double train(TrainableWeights w, List<int[]> corpus, int[] promptLengths, Config config, Path outDir) throws IOException {
        if (corpus.isEmpty()) throw new IllegalArgumentException("empty corpus");
        if (promptLengths.length != corpus.size()) throw new IllegalArgumentException(corpus.size() + " sequences but " + promptLengths.length + " prompt lengths");
        Files.createDirectories(outDir);
        List<Parameter> params = w.trainable();
        Adam adam = new Adam(params, 0.9f, 0.95f, 1e-8f, config.weightDecay(), config.clipNorm());
        Path checkpoint = outDir.resolve("checkpoint.safetensors"), metrics = outDir.resolve("metrics.jsonl");
        int start = resume(checkpoint, metrics, params, adam);
        ObjectMapper json = new ObjectMapper();
        Progress progress = new Progress("pretrain", config.steps());
        if (start > 0) progress.resumed(start);
        int size = Math.min(config.batchSequences(), corpus.size()), perEpoch = Math.max(1, corpus.size() / size);
        double last = Double.NaN;
        for (int step = start; step < config.steps(); step++) {
            List<Integer> order = new ArrayList<>(corpus.size());
            for (int i = 0; i < corpus.size(); i++) order.add(i);
            Collections.shuffle(order, new Random(config.seed() + step / perEpoch)); // a fresh order each epoch
            List<Integer> picked = order.subList((step % perEpoch) * size, (step % perEpoch) * size + size);
            List<int[]> batch = picked.stream().map(corpus::get).toList();
            w.zeroGrad();
            long t0 = System.nanoTime();
            var result = Backprop.runInMicroBatches(w, meanOverTargets(batch, picked.stream().mapToInt(i -> promptLengths[i]).toArray()), true, null,
                    ReinforceTrainer.MICRO_BATCH_TOKENS);
            float lr = config.schedule().at(step);
            double norm = adam.step(lr);
            double seconds = (System.nanoTime() - t0) / 1e9;
            last = result.loss();
            long tokens = batch.stream().mapToLong(s -> s.length).sum();
            Files.writeString(metrics, json.createObjectNode().put("step", step).put("loss", last).put("lr", lr).put("grad_norm", norm)
                    .put("tokens_per_s", tokens / seconds) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if ((step + 1) % config.checkpointEvery() == 0 || step + 1 == config.steps()) TrainingCheckpoint.save(checkpoint, params, adam, step + 1, Map.of());
            progress.advance(1, String.format("loss %.4f", last));
        }
        return last;
    }

    /** Every target token after the prompt weighs 1/N, N their number in the batch. */
    private static TokenLoss meanOverTargets(List<int[]> batch, int[] promptLengths) {
        long n = 0;
        for (int s = 0; s < batch.size(); s++) n += batch.get(s).length - Math.max(1, promptLengths[s]);
        float[] scale = new float[batch.size()];
        java.util.Arrays.fill(scale, n == 0 ? 0 : 1f / n);
        return TokenLoss.completions(batch, promptLengths, scale);
    }

    private static int resume(Path checkpoint, Path metrics, List<Parameter> params, Adam adam) throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            Files.deleteIfExists(metrics);
            return 0;
        }
        int next = Integer.parseInt(TrainingCheckpoint.restore(checkpoint, params, adam).get("next_step"));
        TrainingCheckpoint.trimMetrics(metrics, next);
        return next;
    }
}
