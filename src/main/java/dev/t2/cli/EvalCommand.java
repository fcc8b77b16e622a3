package dev.t2.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.io.LoadedModel;
import dev.t2.tasks.Evaluation;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.Task;
import dev.t2.tasks.TaskItem;
import dev.t2.tasks.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code t2 eval}: greedy accuracy on a task split with a confidence interval and per-sample JSONL. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model (optionally with an SVF expert) on a task.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--task", required = true, description = "gsm8k, math, math500, arc-easy, arc-challenge, mbpp, mbpp-sanitized, humaneval, classification, or a .jsonl file")
    String task;

    @Option(names = "--split", description = "train, valid or test (default: ${DEFAULT-VALUE})", defaultValue = "test")
    String split;

    @Option(names = "--limit", description = "evaluate the first N items only")
    Integer limit;

    @Option(names = "--batch", description = "prompts generated together (default: ${DEFAULT-VALUE})", defaultValue = "16")
    int batch;

    @Option(names = "--max-new-tokens", description = "override the task's generation budget")
    Integer maxNewTokens;

    @Option(names = "--data", description = "dataset root (default: ../shared/data)", defaultValue = "../shared/data")
    Path data;

    @Option(names = "--samples", description = "write per-sample JSONL here (default: eval-<task>-<split>.jsonl)")
    Path samples;

    @Option(names = "--json", description = "print the summary as one JSON line")
    boolean json;

    @Override
    public Integer call() {
        Task t = resolveTask(task, data);
        Split s = Split.valueOf(split.toUpperCase());
        List<TaskItem> items = t.items(s);
        if (items.isEmpty()) throw new IllegalArgumentException("task " + t.name() + " has no " + split + " items");
        if (limit != null) items = items.subList(0, Math.min(limit, items.size()));
        LoadedModel loaded = modelOptions.load();
        var model = modelOptions.adapted(loaded);
        long t0 = System.nanoTime();
        var results = Evaluation.run(model, new PromptFormat(loaded.tokenizer(), loaded.chatTemplate()), t, items, loaded.stopTokens(), batch, maxNewTokens);
        var summary = Evaluation.summarize(t.name(), split, results, (System.nanoTime() - t0) / 1e9);
        Path out = samples != null ? samples : Path.of("eval-" + t.name() + "-" + split + ".jsonl");
        Evaluation.writeSamples(out, results);
        if (json) {
            System.out.println(new ObjectMapper().valueToTree(summary));
        } else {
            System.out.printf("%s %s: %d/%d correct, accuracy %.4f (95%% CI %.4f–%.4f), %.1f s, %d tokens generated; samples in %s%n",
                    t.name(), split, summary.correct(), summary.items(), summary.accuracy(), summary.low(), summary.high(),
                    summary.seconds(), summary.generatedTokens(), out);
        }
        return 0;
    }

    static Task resolveTask(String name, Path data) {
        if (name.endsWith(".jsonl")) return Tasks.fromJsonl(Path.of(name));
        if (!Files.isDirectory(data)) throw new IllegalArgumentException("dataset root " + data + " not found (use --data)");
        return Tasks.byName(name, data);
    }
}
