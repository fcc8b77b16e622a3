package dev.t2.cli;

import dev.t2.io.LoadedModel;
import dev.t2.rl.Episode;
import dev.t2.rl.Policy;
import dev.t2.rl.ReinforceConfig;
import dev.t2.rl.ReinforceTrainer;
import dev.t2.rl.SupervisedTrainer;
import dev.t2.svf.LoraPolicy;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfPolicy;
import dev.t2.svf.SvfTargets;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.Task;
import dev.t2.tasks.TaskItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code t2 train}: an SVF expert (or the LoRA baseline) for a task, by REINFORCE with the reference's defaults
 * or by next-token fine-tuning on reference answers. Kill it at any time; {@code --resume} continues identically.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train an SVF expert (or a LoRA adapter) on a task.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--task", required = true, description = "task name or .jsonl file (as for eval)")
    String task;

    @Option(names = "--data", defaultValue = "../shared/data", description = "dataset root (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = {"-o", "--out"}, required = true, description = "output directory: expert, checkpoint, metrics.jsonl")
    Path out;

    @Option(names = "--resume", description = "continue from the checkpoint in --out")
    boolean resume;

    @Option(names = "--method", defaultValue = "svf", description = "svf or lora (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--objective", defaultValue = "reinforce", description = "reinforce or next-token (default: ${DEFAULT-VALUE})")
    String objective;

    @Option(names = "--targets", defaultValue = "MLP", description = "SVF targets: mlp, attn, all (default: ${DEFAULT-VALUE})")
    SvfTargets targets;

    @Option(names = "--lora-rank", defaultValue = "16") int loraRank;
    @Option(names = "--lora-alpha", defaultValue = "32") float loraAlpha;
    @Option(names = "--lora-dropout", defaultValue = "0.05", description = "LoRA dropout during training (default: ${DEFAULT-VALUE}, as the paper)") float loraDropout;
    @Option(names = "--lora-targets", defaultValue = "self_attn.q_proj,self_attn.v_proj", split = ",") List<String> loraTargets;
    @Option(names = "--steps", defaultValue = "200") int steps;
    @Option(names = "--batch", defaultValue = "256") int batch;
    @Option(names = "--lr", defaultValue = "2e-3") float lr;
    @Option(names = "--clip", defaultValue = "1e-3", description = "global grad-norm clip (default: ${DEFAULT-VALUE})") float clip;
    @Option(names = "--kl", defaultValue = "0", description = "KL(π_base ‖ π) coefficient (default: ${DEFAULT-VALUE})") float kl;
    @Option(names = "--temperature", defaultValue = "0", description = "rollout temperature; 0 = greedy as the reference") float temperature;
    @Option(names = "--max-new-tokens", description = "rollout budget (default: the task's)") Integer maxNewTokens;
    @Option(names = "--valid-every", defaultValue = "10") int validEvery;
    @Option(names = "--train-limit", description = "use the first N training items") Integer trainLimit;
    @Option(names = "--valid-limit", description = "use the first N validation items") Integer validLimit;
    @Option(names = "--normalize-rewards", description = "z-score rewards per batch (off in the reference)") boolean normalizeRewards;
    @Option(names = "--reward-clip", defaultValue = "0") float rewardClip;
    @Option(names = "--seed", defaultValue = "42") long seed;

    @Override
    public Integer call() throws Exception {
        if (!resume && Files.isRegularFile(out.resolve("checkpoint.safetensors"))) {
            throw new IllegalArgumentException(out + " holds a checkpoint; pass --resume to continue it or choose another --out");
        }
        if (modelOptions.expert != null || modelOptions.lora != null) {
            throw new IllegalArgumentException("t2 train adapts the base model itself; --expert and --lora are for eval and generate");
        }
        Task t = EvalCommand.resolveTask(task, data);
        LoadedModel loaded = modelOptions.load();
        PromptFormat format = new PromptFormat(loaded.tokenizer(), loaded.chatTemplate());
        List<TaskItem> train = limit(t.items(Split.TRAIN), trainLimit), valid = limit(t.items(Split.VALID), validLimit);
        if (train.isEmpty()) throw new IllegalArgumentException("task " + t.name() + " has no training items");
        Policy policy = switch (method) {
            case "svf" -> new SvfPolicy(loaded.config(), loaded.weights(), SvdCache.loadOrCompute(loaded.weights(),
                    targets.names(loaded.config().numLayers()), SvdCommand.cacheRoot(loaded, modelOptions.cacheDir)), targets, 1f, seed);
            case "lora" -> new LoraPolicy(loaded.config(), loaded.weights(), loraTargets, loraRank, loraAlpha, loraDropout, seed);
            default -> throw new IllegalArgumentException("--method must be svf or lora, not '" + method + "'");
        };
        long params = policy.trainable().trainableCount();
        System.err.printf("%s on %s: %,d trainable parameters, %d train / %d valid items%n", method, t.name(), params, train.size(), valid.size());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("task", t.name());
        info.put("method", method);
        info.put("objective", objective);
        info.put("base_model", loaded.source().toString());
        switch (objective) {
            case "reinforce" -> {
                var config = new ReinforceConfig(steps, batch, lr, clip, kl, temperature, maxNewTokens != null ? maxNewTokens : t.maxNewTokens(),
                        validEvery, normalizeRewards, rewardClip, true, seed);
                var trainer = new ReinforceTrainer(policy, loaded.tokenizer(), loaded.stopTokens(), t.stopStrings(), config,
                        episodes(t, train, format), episodes(t, valid, format), out, info);
                double best = trainer.run();
                System.out.printf("best validation accuracy %.4f; expert in %s, metrics in %s%n", best, trainer.expertFile(), trainer.metricsFile());
            }
            case "next-token" -> {
                List<SupervisedTrainer.Example> examples = train.stream().map(item -> new SupervisedTrainer.Example(format.tokens(item),
                        answerTokens(loaded, item))).toList();
                double loss = SupervisedTrainer.train(policy, examples, new SupervisedTrainer.Config(steps, batch, lr, clip, 0f, seed), out, info);
                System.out.printf("final loss %.4f; adaptation in %s%n", loss, out.resolve("adapter.safetensors"));
            }
            default -> throw new IllegalArgumentException("--objective must be reinforce or next-token, not '" + objective + "'");
        }
        return 0;
    }

    static List<Episode> episodes(Task t, List<TaskItem> items, PromptFormat format) {
        return items.stream().map(item -> new Episode(item.id(), format.tokens(item), text -> t.check(item, text).correct() ? 1 : -1)).toList();
    }

    /** The item's worked reference solution as the completion to learn, ending with the model's EOS. */
    static int[] answerTokens(LoadedModel loaded, TaskItem item) {
        int[] ids = loaded.tokenizer().encode(item.solution(), false);
        // the tokenizer's own EOS; a stop-token set has no meaningful first element
        int eos = loaded.tokenizer().eosId() >= 0 ? loaded.tokenizer().eosId() : loaded.stopTokens().stream().mapToInt(Integer::intValue).min().orElse(-1);
        if (eos < 0) return ids;
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = eos;
        return out;
    }

    private static <T> List<T> limit(List<T> items, Integer n) {
        return n == null ? items : items.subList(0, Math.min(n, items.size()));
    }
}
