package dev.t2.calm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.model.Backprop;
import dev.t2.model.Parameter;
import dev.t2.model.TokenLoss;
import dev.t2.rl.Adam;
import dev.t2.rl.CosineSchedule;
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
import java.util.function.Function;

/**
 * The training loop behind composition training and the miniature's base models and baselines: batches of token
 * sequences in which chosen tokens are targets, the mean cross-entropy of those targets, AdamW with warm-up + cosine
 * learning rate and gradient clipping, JSONL metrics, and atomic checkpoints from which a killed run resumes
 * identically (batches depend only on the seed and the step).
 */
public final class TargetedTraining {
    /** A token sequence and which of its tokens are predicted ({@code targets[i]}: token i, from the tokens before it). */
    public record Sequence(int[] tokens, boolean[] targets) {
        public Sequence {
            if (targets.length != tokens.length) throw new IllegalArgumentException(tokens.length + " tokens but " + targets.length + " target flags");
            if (targets.length > 0 && targets[0]) throw new IllegalArgumentException("the first token has nothing before it to be predicted from");
        }

        /** A prompt followed by its answer, every answer token a target. */
        public static Sequence promptAndAnswer(int[] prompt, int[] answer) {
            int[] tokens = java.util.Arrays.copyOf(prompt, prompt.length + answer.length);
            System.arraycopy(answer, 0, tokens, prompt.length, answer.length);
            boolean[] targets = new boolean[tokens.length];
            java.util.Arrays.fill(targets, prompt.length, tokens.length, true);
            return new Sequence(tokens, targets);
        }
    }

    public record Config(int steps, int batchSize, CosineSchedule schedule, float weightDecay, float clipNorm, int checkpointEvery, long seed) {
        /** The same training stopped after {@code n} steps (its schedule unchanged). */
        public Config withSteps(int n) {
            return new Config(n, batchSize, schedule, weightDecay, clipNorm, checkpointEvery, seed);
        }
    }

    private TargetedTraining() {}

    /**
     * Trains {@code params} (or resumes from {@code outDir}/checkpoint.safetensors); {@code lossAndGradients} must add the
     * loss's gradients into the parameters' {@code grad()}. Returns the loss of the last step.
     */
    public static double train(String label, List<Parameter> params, Function<TokenLoss, Backprop.Result> lossAndGradients, List<Sequence> data,
                               Config config, Path outDir) throws IOException {
        if (data.isEmpty()) throw new IllegalArgumentException("no training sequences");
        Files.createDirectories(outDir);
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
        Progress progress = new Progress(label, config.steps());
        if (start > 0) progress.resumed(Math.min(start, config.steps())); // a raced start that trained on is past this call's end
        int size = Math.min(config.batchSize(), data.size()), perEpoch = Math.max(1, data.size() / size);
        double last = Double.NaN;
        for (int step = start; step < config.steps(); step++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) order.add(i);
            Collections.shuffle(order, new Random(config.seed() + step / perEpoch)); // a fresh order each epoch
            List<Sequence> batch = order.subList((step % perEpoch) * size, (step % perEpoch) * size + size).stream().map(data::get).toList();
            for (Parameter p : params) p.zeroGrad();
            long t0 = System.nanoTime();
            last = lossAndGradients.apply(meanOverTargets(batch)).loss();
            float lr = config.schedule().at(step);
            double norm = adam.step(lr);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.writeString(metrics, json.createObjectNode().put("step", step).put("loss", last).put("lr", lr).put("grad_norm", norm)
                    .put("seconds", seconds) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if ((step + 1) % config.checkpointEvery() == 0 || step + 1 == config.steps()) TrainingCheckpoint.save(checkpoint, params, adam, step + 1, Map.of());
            progress.advance(1, String.format("loss %.4f", last));
        }
        if (start >= config.steps()) { // already complete: the loss the last step logged
            List<JsonNode> logged = loggedSteps(outDir);
            if (!logged.isEmpty()) last = logged.getLast().get("loss").asDouble();
        }
        return last;
    }

    /** The rows {@code outDir}/metrics.jsonl logged, one per step (none without a log): step, loss, lr, grad_norm, seconds. */
    static List<JsonNode> loggedSteps(Path outDir) throws IOException {
        Path metrics = outDir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) return List.of();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) if (!line.isBlank()) rows.add(json.readTree(line));
        return rows;
    }

    /**
     * Seconds of training the steps logged in {@code outDir}/metrics.jsonl took (their sum; 0 without a log). A resumed run
     * keeps one line per step, so this is the time of one uninterrupted training however often it was resumed.
     */
    public static double loggedSeconds(Path outDir) throws IOException {
        return loggedSteps(outDir).stream().mapToDouble(row -> row.get("seconds").asDouble()).sum();
    }

    /** Every target token weighs 1/N, N the batch's targets. */
    public static TokenLoss meanOverTargets(List<Sequence> batch) {
        long n = 0;
        for (Sequence s : batch) for (boolean t : s.targets()) if (t) n++;
        float w = n == 0 ? 0 : 1f / n;
        List<int[]> tokens = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        for (Sequence s : batch) {
            float[] ws = new float[s.tokens().length];
            for (int i = 1; i < ws.length; i++) if (s.targets()[i]) ws[i - 1] = w; // position i−1 predicts token i
            tokens.add(s.tokens());
            weights.add(ws);
        }
        return new TokenLoss(tokens, weights);
    }
}
