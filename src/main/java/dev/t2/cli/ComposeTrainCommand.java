package dev.t2.cli;

import dev.t2.calm.Composition;
import dev.t2.calm.CompositionConfig;
import dev.t2.calm.CompositionFile;
import dev.t2.calm.CompositionTrainer;
import dev.t2.calm.LayerPair;
import dev.t2.calm.TargetedTraining;
import dev.t2.model.TrainableWeights;
import dev.t2.rl.CosineSchedule;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.Task;
import dev.t2.tasks.TaskItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code t2 compose train}: learns the composition modules on a task's prompt → answer items; both models stay frozen. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a composition on a task's TRAIN items (next-token loss on the answers).")
final class ComposeTrainCommand implements Callable<Integer> {
    @Mixin
    ComposeModels models;

    @Option(names = "--task", required = true, description = "task name or .jsonl file (as for eval)") String task;
    @Option(names = "--data", defaultValue = "../shared/data", description = "dataset root (default: ${DEFAULT-VALUE})") Path data;
    @Option(names = {"-o", "--out"}, required = true, description = "output directory: composition.safetensors, checkpoint, metrics.jsonl") Path out;
    @Option(names = "--resume", description = "continue from the checkpoint in --out") boolean resume;
    @Option(names = "--pairs", description = "number of uniformly spaced layer pairs (default: every 4th augmenting layer, at least 1)") Integer pairCount;
    @Option(names = "--pair", split = ",", description = "explicit layer pairs AUGMENT:ANCHOR, e.g. 3:0,7:4 (instead of --pairs)") List<String> pairs;
    @Option(names = "--heads", description = "cross-attention heads (default: the anchor's attention heads)") Integer heads;
    @Option(names = "--positional", description = "position-aware cross-attention: normalised inputs, queries and keys rotated by token position (not in the paper)") boolean positional;
    @Option(names = "--steps", defaultValue = "200") int steps;
    @Option(names = "--batch", defaultValue = "16", description = "examples per step (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--lr", defaultValue = "1e-3") float lr;
    @Option(names = "--min-lr", defaultValue = "1e-4") float minLr;
    @Option(names = "--warmup", defaultValue = "20") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0") float weightDecay;
    @Option(names = "--clip", defaultValue = "1.0") float clip;
    @Option(names = "--train-limit", description = "use the first N training items") Integer trainLimit;
    @Option(names = "--checkpoint-every", defaultValue = "50") int checkpointEvery;
    @Option(names = "--starts", defaultValue = "1", description = "initialisations that race the first eighth of the steps (in --out/start-K);"
            + " the one with the lowest training loss trains on (default: ${DEFAULT-VALUE})") int starts;
    @Option(names = "--seed", defaultValue = "1") long seed;

    @Override
    public Integer call() throws Exception {
        if (starts < 1) throw new IllegalArgumentException("--starts must be at least 1, got " + starts);
        if (!resume && (Files.isRegularFile(out.resolve("checkpoint.safetensors")) || Files.isRegularFile(out.resolve("start-0/checkpoint.safetensors")))) {
            throw new IllegalArgumentException(out + " holds a checkpoint; pass --resume to continue it or choose another --out");
        }
        if (pairs != null && pairCount != null) throw new IllegalArgumentException("give either --pairs N or --pair I:J,..., not both");
        models.load();
        var anchor = models.anchorModel;
        var augment = models.augmentModel;
        int h = heads != null ? heads : anchor.config().numHeads();
        CompositionConfig config = pairs != null ? new CompositionConfig(pairs.stream().map(LayerPair::parse).toList(), h)
                : CompositionConfig.uniform(augment.config().numLayers(), anchor.config().numLayers(), pairCount != null ? pairCount
                : CompositionConfig.defaultPairCount(augment.config().numLayers(), anchor.config().numLayers()), h);
        CompositionConfig chosen = config.withPositional(positional);
        Composition composition = Composition.initialise(chosen, augment.config(), anchor.config(), seed);
        Task t = EvalCommand.resolveTask(task, data);
        List<TaskItem> items = t.items(Split.TRAIN);
        if (trainLimit != null) items = items.subList(0, Math.min(trainLimit, items.size()));
        if (items.isEmpty()) throw new IllegalArgumentException("task " + t.name() + " has no training items");
        PromptFormat format = new PromptFormat(anchor.tokenizer(), anchor.chatTemplate());
        List<TargetedTraining.Sequence> examples = items.stream()
                .map(item -> TargetedTraining.Sequence.promptAndAnswer(format.tokens(item), TrainCommand.answerTokens(anchor, item))).toList();
        System.err.printf("composition: pairs %s, %d heads%s, %,d parameters (n·(D_A·D_B + 4·D_B²) = %,d); %d training items of %s%n",
                chosen.pairs(), h, positional ? " (positional)" : "", composition.parameterCount(), Composition.formulaCount(chosen.pairs().size(), augment.config().hiddenSize(),
                        anchor.config().hiddenSize()), examples.size(), t.name());
        int raceSteps = CompositionTrainer.defaultRaceSteps(steps);
        var trained = CompositionTrainer.trainBestOfStarts(start -> Composition.initialise(chosen, augment.config(), anchor.config(), start), seed, starts,
                raceSteps, TrainableWeights.frozen(anchor.config(), anchor.weights()), augment.model(), examples,
                new TargetedTraining.Config(steps, batch, new CosineSchedule(warmup, steps, lr, minLr), weightDecay, clip, checkpointEvery, seed), out);
        composition = trained.composition();
        double loss = trained.loss();
        if (starts > 1) System.err.printf("start %d of %d had the lowest training loss after %d steps; it trained on in %s%n", trained.start() + 1, starts,
                raceSteps, out.resolve("start-" + trained.start()));
        Map<String, String> info = new LinkedHashMap<>();
        info.put("task", t.name());
        info.put("steps", Integer.toString(steps));
        info.put("final_loss", Double.toString(loss));
        if (starts > 1) info.put("starts", starts + " (chose " + (trained.start() + 1) + " after " + raceSteps + " steps)");
        info.put("anchor_path", models.anchor.toString());
        info.put("augment_path", models.augment.toString());
        Path file = out.resolve("composition.safetensors");
        CompositionFile.write(file, composition, augment.config(), augment.weights(), anchor.config(), anchor.weights(), info);
        System.out.printf("final loss %.4f; %,d composition parameters in %s, metrics in %s%n", loss, composition.parameterCount(), file,
                (starts > 1 ? out.resolve("start-" + trained.start()) : out).resolve("metrics.jsonl"));
        return 0;
    }
}
