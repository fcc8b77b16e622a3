package dev.t2.mesa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.io.SafetensorsFile;
import dev.t2.model.Parameter;
import dev.t2.rl.Adam;
import dev.t2.rl.CosineSchedule;
import dev.t2.rl.TrainingCheckpoint;
import dev.t2.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Trains an attention model on fresh batches of the linear-dynamics task (so the training loss of a step is an
 * unbiased test loss): AdamW, warm-up + cosine learning rate, global gradient clipping, JSONL metrics, and an atomic
 * checkpoint from which a killed run resumes identically (a step's batch depends only on the seed and the step).
 */
public final class MesaTrainer {
    public record Config(int steps, int batch, CosineSchedule schedule, float weightDecay, float clipNorm, long seed, int checkpointEvery) {
        public Config {
            if (steps <= 0 || batch <= 0 || checkpointEvery <= 0) throw new IllegalArgumentException("steps, batch and checkpoint interval must be positive");
        }

        /** The same run cut off after {@code stop} steps (the schedule still spans the original steps): a run that was killed. */
        public Config withSteps(int stop) {
            return new Config(stop, batch, schedule, weightDecay, clipNorm, seed, checkpointEvery);
        }

        /** The report's recipe: batch 256, lr 3e-3 warmed up over 5 % of the steps, cosine to 3e-5, weight decay 1e-4, clip 1. */
        public static Config recipe(int steps, long seed) {
            return new Config(steps, 256, new CosineSchedule(Math.max(1, steps / 20), steps, 3e-3f, 3e-5f), 1e-4f, 1f, seed, Math.max(1, steps / 10));
        }
    }

    static final String CHECKPOINT = "checkpoint.safetensors", METRICS = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MesaTrainer() {}

    /** The seed of step {@code step}'s training batch (evaluation sets use negative seeds, so never a training batch). */
    public static long batchSeed(long seed, int step) {
        return Math.floorMod(seed * 1_000_003L + step, Long.MAX_VALUE);
    }

    /** Trains (or resumes from outDir when it holds a checkpoint); returns the training loss of every step. */
    public static double[] train(AttentionModel model, LinearDynamics task, Config config, Workers workers, Path outDir) {
        List<Parameter> params = model.parameters();
        Adam adam = new Adam(params, 0.9f, 0.999f, 1e-8f, config.weightDecay(), config.clipNorm());
        double[] losses = new double[config.steps()];
        int start = outDir == null ? 0 : resume(model, outDir, params, adam, losses);
        Progress progress = new Progress("mesa " + model.spec().name(), config.steps());
        if (start > 0) progress.resumed(start);
        for (int step = start; step < config.steps(); step++) {
            long t0 = System.nanoTime();
            Sequences batch = task.sample(config.batch(), batchSeed(config.seed(), step));
            losses[step] = model.lossAndGradient(batch, workers);
            float lr = config.schedule().at(step);
            double norm = adam.step(lr);
            if (outDir != null) {
                append(outDir.resolve(METRICS), JSON.createObjectNode().put("step", step).put("loss", losses[step]).put("lr", lr)
                        .put("grad_norm", norm).put("seconds", (System.nanoTime() - t0) / 1e9).toString());
                if ((step + 1) % config.checkpointEvery() == 0 || step + 1 == config.steps()) {
                    TrainingCheckpoint.save(outDir.resolve(CHECKPOINT), params, adam, step + 1, describe(model, task));
                }
            }
            progress.advance(1, String.format("loss %.4f", losses[step]));
        }
        return losses;
    }

    /** What rebuilds the model from a checkpoint: its spec and the task's state dim. */
    static Map<String, String> describe(AttentionModel model, LinearDynamics task) {
        ModelSpec s = model.spec();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", s.name());
        m.put("tokens", s.tokens().name());
        m.put("layers", layersText(s));
        m.put("heads", Integer.toString(s.heads()));
        m.put("head_dim", Integer.toString(s.headDim()));
        m.put("init_std", Float.toString(s.initStd()));
        m.put("dim", Integer.toString(task.dim()));
        m.put("length", Integer.toString(task.length()));
        m.put("noise", Double.toString(task.noise()));
        return m;
    }

    static String layersText(ModelSpec s) {
        return s.layers().stream().map(Enum::name).collect(Collectors.joining(","));
    }

    /** The trained model stored in a training directory's checkpoint, with the task it was trained on. */
    public record Trained(AttentionModel model, LinearDynamics task) {}

    public static Trained load(Path outDir) {
        Path file = outDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(outDir + ": no " + CHECKPOINT + " (train with `t2 mesa train -o " + outDir + "` first)");
        Map<String, String> m = SafetensorsFile.open(file).metadata();
        if (m.get("layers") == null) throw new IllegalArgumentException(file + ": not a t2 mesa checkpoint (no model description)");
        ModelSpec spec = new ModelSpec(m.get("model"), TokenLayout.valueOf(m.get("tokens")), ModelSpec.parseLayers(m.get("layers")),
                Integer.parseInt(m.get("heads")), Integer.parseInt(m.get("head_dim")), Float.parseFloat(m.get("init_std")));
        LinearDynamics task = new LinearDynamics(Integer.parseInt(m.get("dim")), Integer.parseInt(m.get("length")), Double.parseDouble(m.get("noise")));
        AttentionModel model = new AttentionModel(spec, task.dim(), 0);
        Adam unused = new Adam(model.parameters(), 0.9f, 0.999f, 1e-8f, 0f, 0f);
        TrainingCheckpoint.restore(file, model.parameters(), unused);
        return new Trained(model, task);
    }

    private static int resume(AttentionModel model, Path outDir, List<Parameter> params, Adam adam, double[] losses) {
        Path checkpoint = outDir.resolve(CHECKPOINT), metrics = outDir.resolve(METRICS);
        try {
            Files.createDirectories(outDir);
            if (!Files.isRegularFile(checkpoint)) {
                Files.deleteIfExists(metrics);
                return 0;
            }
            Map<String, String> saved = SafetensorsFile.open(checkpoint).metadata();
            if (!layersText(model.spec()).equals(saved.get("layers")) || !model.spec().name().equals(saved.get("model"))) {
                throw new IllegalArgumentException(checkpoint + " holds model " + saved.get("model") + " (" + saved.get("layers") + "), not "
                        + model.spec().name() + "; use another output directory");
            }
            Map<String, String> meta = TrainingCheckpoint.restore(checkpoint, params, adam);
            int next = Integer.parseInt(meta.get("next_step"));
            if (next > losses.length) throw new IllegalArgumentException(checkpoint + " is at step " + next + ", beyond the " + losses.length + " steps asked for");
            TrainingCheckpoint.trimMetrics(metrics, next);
            Arrays.fill(losses, Double.NaN);
            if (Files.isRegularFile(metrics)) {
                for (String line : Files.readAllLines(metrics)) {
                    JsonNode n = JSON.readTree(line);
                    losses[n.get("step").asInt()] = n.get("loss").asDouble();
                }
            }
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException(outDir + ": " + e.getMessage(), e);
        }
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }
}
