package dev.t2.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.model.Backprop;
import dev.t2.model.TokenLoss;
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
 * Next-token fine-tuning on reference answers (the paper's LoRA baseline; also SVF on equal terms): each step
 * takes a batch of (prompt, answer) token pairs and minimises the mean cross-entropy of the answer tokens,
 * with Adam and gradient clipping. Metrics per step go to {@code metrics.jsonl}; the final adaptation is saved.
 */
public final class SupervisedTrainer {
    /** One training example: prompt tokens, then the reference answer's tokens (ending with EOS). */
    public record Example(int[] prompt, int[] answer) {}

    public record Config(int steps, int batchSize, float learningRate, float clipNorm, float weightDecay, long seed) {}

    private SupervisedTrainer() {}

    public static double train(Policy policy, List<Example> examples, Config config, Path outDir, Map<String, String> info) throws IOException {
        if (examples.isEmpty()) throw new IllegalArgumentException("no training examples");
        Files.createDirectories(outDir);
        Path metrics = outDir.resolve("metrics.jsonl");
        Files.deleteIfExists(metrics);
        Adam adam = new Adam(policy.parameters(), 0.9f, 0.999f, 1e-8f, config.weightDecay(), config.clipNorm());
        ObjectMapper json = new ObjectMapper();
        Progress progress = new Progress("sft", config.steps());
        double last = Double.NaN;
        List<Example> order = new ArrayList<>(examples);
        int perEpoch = Math.max(1, examples.size() / Math.min(config.batchSize(), examples.size()));
        for (int step = 0; step < config.steps(); step++) {
            if (step % perEpoch == 0) Collections.shuffle(order, new Random(config.seed() + step / perEpoch));
            int size = Math.min(config.batchSize(), order.size()), from = (step % perEpoch) * size;
            List<int[]> sequences = new ArrayList<>();
            int[] promptLengths = new int[size];
            long answerTokens = 0;
            for (int b = 0; b < size; b++) {
                Example e = order.get(from + b);
                int[] seq = java.util.Arrays.copyOf(e.prompt(), e.prompt().length + e.answer().length);
                System.arraycopy(e.answer(), 0, seq, e.prompt().length, e.answer().length);
                sequences.add(seq);
                promptLengths[b] = e.prompt().length;
                answerTokens += e.answer().length;
            }
            float[] scale = new float[size];
            java.util.Arrays.fill(scale, (float) (1.0 / answerTokens)); // mean over the batch's answer tokens
            policy.trainable().zeroGrad();
            policy.beginStep(step);
            long t0 = System.nanoTime();
            var result = Backprop.runInMicroBatches(policy.trainable(), TokenLoss.completions(sequences, promptLengths, scale), true, null,
                    ReinforceTrainer.MICRO_BATCH_TOKENS);
            double norm = adam.step(config.learningRate());
            double seconds = (System.nanoTime() - t0) / 1e9;
            last = result.loss();
            long tokens = sequences.stream().mapToLong(s -> s.length).sum();
            Files.writeString(metrics, json.createObjectNode().put("step", step).put("loss", last).put("grad_norm", norm)
                    .put("train_tokens_per_s", tokens / seconds) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            progress.advance(1, String.format("loss %.4f", last));
        }
        Map<String, String> meta = new java.util.LinkedHashMap<>(info);
        meta.put("steps", Integer.toString(config.steps()));
        meta.put("objective", "next-token");
        meta.put("final_loss", Double.toString(last));
        policy.save(outDir.resolve("adapter.safetensors"), meta);
        return last;
    }
}
